package org.portraitgen.farm.slurm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's command-line clients. Their flags have stayed stable across releases while the REST API changed, so the
 * adapter needs no client library; the cluster is found as the clients find it ({@code SLURM_CONF}, /etc/slurm).
 */
final class SlurmCommands {

    private SlurmCommands() {
    }

    /** Runs a client command; fails with its standard error when it exits non-zero. */
    static String run(String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        String conf = System.getProperty("portraitgen.slurm.conf");
        if (conf != null && !conf.isBlank()) {
            pb.environment().put("SLURM_CONF", conf); // an installation may name its cluster's configuration
        }
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command[0] + " did not answer within 60 s; is slurmctld up?");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + new String(err, StandardCharsets.UTF_8).trim());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command[0], e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("error=2")) {
                throw new IOException("the Slurm client '" + command[0] + "' is not installed on this machine "
                        + "(Debian: apt install slurm-client)", e);
            }
            throw e;
        }
    }

    /** Job state and reason as squeue or scontrol tell them; null when Slurm no longer knows the job. */
    static String[] stateOf(String jobId) throws IOException {
        String line = run("squeue", "-h", "-j", jobId, "-o", "%T|%r").trim();
        if (!line.isEmpty()) {
            return line.split("\\|", 2);
        }
        try {
            String show = run("scontrol", "-o", "show", "job", jobId);
            return new String[] {field(show, "JobState"), field(show, "Reason")};
        } catch (IOException purged) {
            return null;
        }
    }

    private static String field(String scontrolLine, String name) {
        for (String token : scontrolLine.split("\\s+")) {
            if (token.startsWith(name + "=")) {
                return token.substring(name.length() + 1);
            }
        }
        return "";
    }

    static List<String> sbatch(List<String> options, String script) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("sbatch");
        cmd.add("--parsable");
        cmd.addAll(options);
        cmd.add(script);
        return List.of(run(cmd.toArray(String[]::new)).trim().split(";")[0]);
    }
}
