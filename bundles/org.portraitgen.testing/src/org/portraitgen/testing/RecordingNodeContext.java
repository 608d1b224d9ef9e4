package org.portraitgen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeParameters;

/**
 * A node context over folders, as the pipeline would give one to a node under test: parameters (without defaults filled in, so the nodes' own defaults
 * are exercised), input folders, an empty staging folder per output port, recorded progress, and a cancel switch
 * that trips after a given number of progress reports.
 */
public final class RecordingNodeContext implements NodeContext {

    private final String nodeId;
    private final Map<String, Object> parameters = new HashMap<>();
    private final Map<String, Path> inputs = new HashMap<>();
    private final Path outputRoot;
    /** Every progress fraction reported, in order. */
    public final List<Double> progress = new ArrayList<>();
    private int cancelAfterProgress = -1;

    public RecordingNodeContext(String nodeId, Path work) {
        this.nodeId = nodeId;
        this.outputRoot = work.resolve("out-" + nodeId);
    }

    public RecordingNodeContext param(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    public RecordingNodeContext input(String port, Path folder) {
        inputs.put(port, folder);
        return this;
    }

    /** Reports cancellation once this many progress calls were made. */
    public RecordingNodeContext cancelAfter(int progressCalls) {
        cancelAfterProgress = progressCalls;
        return this;
    }

    @Override
    public String runId() {
        return "test-run";
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public NodeParameters parameters() {
        return new NodeParameters(parameters);
    }

    @Override
    public Optional<Path> input(String port) {
        return Optional.ofNullable(inputs.get(port));
    }

    @Override
    public Path output(String port) {
        Path dir = outputRoot.resolve(port);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public Path outputRoot() {
        return outputRoot;
    }

    @Override
    public Path checkpoints() {
        return output(".checkpoints");
    }

    @Override
    public void progress(double fraction, String message) {
        progress.add(fraction);
    }

    @Override
    public void metric(String name, long step, double value) {
        // not needed by these nodes
    }

    @Override
    public void log(String line) {
        System.out.println("[" + nodeId + "] " + line);
    }

    @Override
    public boolean isCancelled() {
        return cancelAfterProgress >= 0 && progress.size() >= cancelAfterProgress;
    }
}
