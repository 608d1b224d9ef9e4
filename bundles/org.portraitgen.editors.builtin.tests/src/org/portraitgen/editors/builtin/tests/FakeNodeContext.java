package org.portraitgen.editors.builtin.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeParameters;

/** A node context as an executor gives one: parameters as set (no defaults), inputs, a staging folder per output. */
final class FakeNodeContext implements NodeContext {

    private final Map<String, Object> parameters = new HashMap<>();
    private final Map<String, Path> inputs = new HashMap<>();
    private final Path work;

    FakeNodeContext(Path work) {
        this.work = work;
    }

    FakeNodeContext param(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    FakeNodeContext input(String port, Path folder) {
        inputs.put(port, folder);
        return this;
    }

    @Override
    public String runId() {
        return "test-run";
    }

    @Override
    public String nodeId() {
        return "edit1";
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
        Path dir = work.resolve("out").resolve(port);
        try {
            Files.createDirectories(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    @Override
    public Path checkpoints() {
        return work.resolve("checkpoints");
    }

    @Override
    public void progress(double fraction, String message) {
        // not asserted here
    }

    @Override
    public void metric(String name, long step, double value) {
        // not asserted here
    }

    @Override
    public void log(String line) {
        log.add(line);
    }

    /** What the node logged, in order. */
    final java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public boolean isCancelled() {
        return false;
    }
}
