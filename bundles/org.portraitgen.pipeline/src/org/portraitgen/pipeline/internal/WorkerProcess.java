package org.portraitgen.pipeline.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.portraitgen.api.node.NodeContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs one node in a headless worker process of the same installation ({@code portraitgen run-node}), relaying its
 * JSON-line events. A native crash, an out-of-memory or a hang ends the worker, and the node fails with a report;
 * the calling process is untouched. The worker commits the node's result to the shared run cache itself.
 */
final class WorkerProcess {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a worker ended. */
    record Outcome(boolean succeeded, boolean invalidInput, String message) {
    }

    private WorkerProcess() {
    }

    /**
     * Settings made in this JVM (workbench preferences, -D options) reach workers through the environment the
     * launcher reads, since a worker is a fresh JVM that never sees this one's system properties.
     */
    private static void forwardSettings(ProcessBuilder pb) {
        Map<String, String> propertyToEnvironment = Map.of("portraitgen.models", "PORTRAITGEN_MODELS",
                "portraitgen.editor.models", "PORTRAITGEN_EDITOR_MODELS");
        propertyToEnvironment.forEach((property, variable) -> {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                pb.environment().put(variable, value);
            }
        });
    }

    static Outcome run(Path launcher, Path graphFile, String nodeId, Path cacheDir, Path logFile, long timeoutSeconds,
            NodeContext context, BooleanSupplier cancelled) throws IOException, InterruptedException {
        List<String> command = List.of(launcher.toString(), "run-node", graphFile.toString(), "--node", nodeId,
                "--cache", cacheDir.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        Path crashDir = logFile.getParent();
        String jvmOpts = System.getenv().getOrDefault("PORTRAITGEN_JVM_OPTS", "-Xmx6g");
        pb.environment().put("PORTRAITGEN_JVM_OPTS", jvmOpts + " -XX:ErrorFile=" + crashDir.resolve(nodeId
                + "-hs_err_%p.log") + " -XX:+ExitOnOutOfMemoryError");
        forwardSettings(pb);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process process = pb.start();
        context.log("worker " + process.pid() + ": " + String.join(" ", command));
        Thread relay = Thread.ofPlatform().daemon().name("worker-events-" + nodeId).start(() -> relay(process,
                context));
        long deadline = timeoutSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds)
                : Long.MAX_VALUE;
        boolean timedOut = false;
        while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
            if (cancelled.getAsBoolean()) {
                stop(process);
                relay.join(2000);
                return null;
            }
            if (System.nanoTime() > deadline) {
                timedOut = true;
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                break;
            }
        }
        relay.join(5000);
        int exit = process.exitValue();
        if (timedOut) {
            return new Outcome(false, false, "its worker exceeded the node time limit of " + timeoutSeconds
                    + " s and was stopped; log: " + logFile);
        }
        if (exit == 0) {
            return new Outcome(true, false, null);
        }
        return new Outcome(false, exit == 2, describeExit(exit, crashDir, nodeId) + "; log: " + logFile
                + tail(logFile));
    }

    private static void relay(Process process, NodeContext context) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                forward(line, context);
            }
        } catch (IOException e) {
            // the worker died; its exit code tells the rest
        }
    }

    private static void forward(String line, NodeContext context) {
        if (!line.startsWith("{")) {
            context.log(line);
            return;
        }
        try {
            JsonNode e = JSON.readTree(line);
            switch (e.path("kind").asText()) {
                case "PROGRESS" -> context.progress(e.path("fraction").asDouble(), e.path("message").asText(null));
                case "METRIC" -> context.metric(e.path("name").asText(), e.path("step").asLong(),
                        e.path("value").asDouble());
                case "LOG" -> context.log(e.path("message").asText());
                default -> {
                    // state changes of the worker's own run are implied by its exit code
                }
            }
        } catch (IOException notJson) {
            context.log(line);
        }
    }

    /** SIGTERM lets the worker's run cancel cleanly (checkpoints stay); SIGKILL if it does not stop in time. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    private static String describeExit(int exit, Path crashDir, String nodeId) throws IOException {
        List<Path> crashLogs = new ArrayList<>();
        try (var files = Files.list(crashDir)) {
            files.filter(p -> p.getFileName().toString().startsWith(nodeId + "-hs_err_")).forEach(crashLogs::add);
        }
        if (!crashLogs.isEmpty()) {
            return "its worker process crashed in native code (exit " + exit + "); crash report: " + crashLogs.get(0);
        }
        if (exit == 3) {
            return "its worker process ran out of memory (exit 3); raise PORTRAITGEN_JVM_OPTS=-Xmx... or reduce "
                    + "the input size";
        }
        if (exit > 128) {
            return "its worker process was killed by signal " + (exit - 128) + " (exit " + exit + ")";
        }
        return "its worker process failed (exit " + exit + ")";
    }

    private static String tail(Path logFile) throws IOException {
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        List<String> failures = lines.stream().filter(l -> l.contains("failed") || l.contains("Error")
                || l.contains("error")).toList();
        List<String> pick = failures.isEmpty() ? lines : failures;
        return pick.isEmpty() ? "" : "\n    " + String.join("\n    ",
                pick.subList(Math.max(0, pick.size() - 3), pick.size()));
    }
}
