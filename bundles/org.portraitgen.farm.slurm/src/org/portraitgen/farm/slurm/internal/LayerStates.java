package org.portraitgen.farm.slurm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.portraitgen.api.farm.FarmStatus.LayerStatus;
import org.portraitgen.api.farm.FarmStatus.State;

/**
 * A layer's state from two witnesses: the task's own state file (attempts, host, exit codes, result) and Slurm's
 * view of the job (queued, running, cancelled by a failed dependency or by a person).
 */
final class LayerStates {

    private static final Pattern FRACTION = Pattern.compile("\"fraction\":([0-9.Ee-]+)");

    private LayerStates() {
    }

    static LayerStatus of(RunRecord.Layer layer, boolean runCancelled) throws IOException {
        if (layer.cached()) {
            return new LayerStatus(layer.nodeId(), State.CACHED, null, 0, null, null, layer.log(), 1);
        }
        List<String> lines = Files.exists(layer.state()) ? Files.readAllLines(layer.state()) : List.of();
        int attempts = (int) lines.stream().filter(l -> l.startsWith("attempt=")).count();
        String host = lines.stream().filter(l -> l.startsWith("attempt=")).reduce((a, b) -> b)
                .map(l -> value(l, "host")).orElse(null);
        String lastExit = lines.stream().filter(l -> l.startsWith("exit=")).reduce((a, b) -> b)
                .map(l -> l.substring(5)).orElse("?");
        if (lines.contains("result=succeeded")) {
            return status(layer, State.SUCCEEDED, attempts, host, null, 1);
        }
        if (lines.contains("result=failed")) {
            return status(layer, State.FAILED, attempts, host, "failed after " + attempts + " attempt(s), last exit "
                    + lastExit + (lastExit.equals("2") ? " (unusable input: not retried)" : ""), 0);
        }
        if (layer.slices() > 1) {
            LayerStatus slices = sliceStatus(layer);
            if (slices != null) {
                return slices;
            }
        }
        String[] slurm = SlurmCommands.stateOf(layer.jobId());
        if (slurm == null) {
            return status(layer, runCancelled ? State.CANCELLED : State.FAILED, attempts, host,
                    "Slurm no longer knows job " + layer.jobId() + " and the task left no result", 0);
        }
        String jobState = slurm[0];
        String reason = slurm.length > 1 ? slurm[1] : "";
        return switch (jobState) {
            case "PENDING", "CONFIGURING", "REQUEUED" -> status(layer, runCancelled ? State.CANCELLED : State.QUEUED,
                    attempts, host, reason.equals("None") ? null : "waiting: " + reason, 0);
            case "RUNNING", "COMPLETING" -> status(layer, State.RUNNING, attempts, host, null, fraction(layer));
            case "CANCELLED" -> status(layer, State.CANCELLED, attempts, host,
                    reason.contains("Dependency") ? "cancelled because a node it depends on failed"
                            : "cancelled", 0);
            default -> status(layer, State.FAILED, attempts, host, "Slurm job " + layer.jobId() + " ended "
                    + jobState + " (" + reason + ")", 0);
        };
    }

    /**
     * While a sliced layer's merge task waits: a failed slice fails the layer, running slices make it running with
     * the share of slices done as progress; null once the slices are done and the merge task speaks for the layer.
     */
    private static LayerStatus sliceStatus(RunRecord.Layer layer) throws IOException {
        int done = 0;
        int started = 0;
        for (int i = 0; i < layer.slices(); i++) {
            Path state = layer.sliceState(i);
            List<String> lines = Files.exists(state) ? Files.readAllLines(state) : List.of();
            if (lines.contains("result=failed")) {
                int attempts = (int) lines.stream().filter(l -> l.startsWith("attempt=")).count();
                return new LayerStatus(layer.nodeId(), State.FAILED, layer.arrayJobId() + "_" + i, attempts, null,
                        "slice " + i + "/" + layer.slices() + " failed after " + attempts + " attempt(s)",
                        layer.sliceLog(i), 0);
            }
            done += lines.contains("result=succeeded") ? 1 : 0;
            started += lines.isEmpty() ? 0 : 1;
        }
        if (done == layer.slices()) {
            return null;
        }
        return new LayerStatus(layer.nodeId(), started > 0 ? State.RUNNING : State.QUEUED, layer.arrayJobId(), 0,
                null, done + " of " + layer.slices() + " slices done", layer.log(), done / (double) layer.slices());
    }

    private static LayerStatus status(RunRecord.Layer layer, State state, int attempts, String host, String message,
            double fraction) {
        return new LayerStatus(layer.nodeId(), state, layer.jobId(), attempts, host, message, layer.log(), fraction);
    }

    /** The last progress the task's JSON-line events reported. */
    private static double fraction(RunRecord.Layer layer) throws IOException {
        Path log = layer.log();
        if (!Files.exists(log)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0 && i >= lines.size() - 50; i--) {
            Matcher m = FRACTION.matcher(lines.get(i));
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        return 0;
    }

    private static String value(String line, String key) {
        for (String token : line.split(" ")) {
            if (token.startsWith(key + "=")) {
                return token.substring(key.length() + 1);
            }
        }
        return null;
    }
}
