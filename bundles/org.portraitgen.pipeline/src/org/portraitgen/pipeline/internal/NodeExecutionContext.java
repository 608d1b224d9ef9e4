package org.portraitgen.pipeline.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.portraitgen.api.node.FrameSlice;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.pipeline.NodeState;
import org.portraitgen.api.pipeline.RunEvent;

/** The {@link NodeContext} of one node execution in this process. */
final class NodeExecutionContext implements NodeContext, AutoCloseable {

    private final String runId;
    private final String nodeId;
    private final NodeParameters parameters;
    private final Map<String, Path> inputs;
    private final Path outputsDir;
    private final Path checkpoints;
    private final Consumer<RunEvent> events;
    private final BufferedWriter logWriter;
    private final long startNanos = System.nanoTime();
    private volatile String cancelReason;
    private FrameSlice slice;
    private volatile boolean cancelled;

    NodeExecutionContext(String runId, String nodeId, NodeParameters parameters, Map<String, Path> inputs,
            Path outputsDir, Path checkpoints, Path logFile, Consumer<RunEvent> events) throws IOException {
        this.runId = runId;
        this.nodeId = nodeId;
        this.parameters = parameters;
        this.inputs = Map.copyOf(inputs);
        this.outputsDir = outputsDir;
        this.checkpoints = checkpoints;
        this.events = events;
        this.logWriter = Files.newBufferedWriter(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public NodeParameters parameters() {
        return parameters;
    }

    @Override
    public Optional<Path> input(String port) {
        return Optional.ofNullable(inputs.get(port));
    }

    @Override
    public Path output(String port) {
        try {
            return Files.createDirectories(outputsDir.resolve(port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder of port '" + port + "' of node '"
                    + nodeId + "'", e);
        }
    }

    @Override
    public Path checkpoints() {
        return checkpoints;
    }

    @Override
    public void progress(double fraction, String message) {
        double f = Math.max(0, Math.min(1, fraction));
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double eta = f > 0.01 ? elapsed * (1 - f) / f : -1;
        events.accept(new RunEvent(runId, RunEvent.Kind.PROGRESS, nodeId, NodeState.RUNNING, f, eta, message, null,
                0, 0));
    }

    @Override
    public void metric(String name, long step, double value) {
        events.accept(new RunEvent(runId, RunEvent.Kind.METRIC, nodeId, NodeState.RUNNING, -1, -1, null, name,
                step, value));
        log(name + " @" + step + " = " + value);
    }

    @Override
    public synchronized void log(String line) {
        try {
            logWriter.write(line);
            logWriter.newLine();
            logWriter.flush();
        } catch (IOException e) {
            // a full disk must not fail the node for want of a log line; the event still goes out
        }
        events.accept(new RunEvent(runId, RunEvent.Kind.LOG, nodeId, NodeState.RUNNING, -1, -1, line, null, 0, 0));
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Optional<FrameSlice> slice() {
        return Optional.ofNullable(slice);
    }

    NodeExecutionContext withSlice(FrameSlice share) {
        this.slice = share;
        return this;
    }

    void cancel(String reason) {
        cancelReason = reason;
        cancelled = true;
    }

    /** Why the node was cancelled when it was not by a person (its provider left), else null. */
    String cancelReason() {
        return cancelReason;
    }

    @Override
    public synchronized void close() throws IOException {
        logWriter.close();
    }
}
