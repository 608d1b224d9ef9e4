package org.portraitgen.tracking.smplx.internal;

import java.nio.file.Path;
import java.util.Optional;

import org.portraitgen.api.node.FrameSlice;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeParameters;

/** A node context whose progress maps [0, 1] into [from, to] of the wrapped one (for a tracker run inside ours). */
final class ScaledProgressContext implements NodeContext {
    private final NodeContext inner;
    private final double from, to;

    ScaledProgressContext(NodeContext inner, double from, double to) {
        this.inner = inner;
        this.from = from;
        this.to = to;
    }

    @Override
    public String runId() {
        return inner.runId();
    }

    @Override
    public String nodeId() {
        return inner.nodeId();
    }

    @Override
    public NodeParameters parameters() {
        return inner.parameters();
    }

    @Override
    public Optional<Path> input(String port) {
        return inner.input(port);
    }

    @Override
    public Path output(String port) {
        return inner.output(port);
    }

    @Override
    public Path checkpoints() {
        return inner.checkpoints();
    }

    @Override
    public void progress(double fraction, String message) {
        inner.progress(from + (to - from) * fraction, message);
    }

    @Override
    public void metric(String name, long step, double value) {
        inner.metric(name, step, value);
    }

    @Override
    public void log(String line) {
        inner.log(line);
    }

    @Override
    public Optional<FrameSlice> slice() {
        return inner.slice();
    }

    @Override
    public boolean isCancelled() {
        return inner.isCancelled();
    }
}
