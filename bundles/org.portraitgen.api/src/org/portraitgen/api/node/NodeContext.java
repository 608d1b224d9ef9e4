package org.portraitgen.api.node;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CancellationException;

import org.osgi.annotation.versioning.ProviderType;

/** What an executing node sees of its run. Implemented by the pipeline's executors. */
@ProviderType
public interface NodeContext {

    String runId();

    /** The node's id in its graph: the name to use in messages. */
    String nodeId();

    NodeParameters parameters();

    /** The folder holding the value of a connected input port; empty for an unconnected optional input. */
    Optional<Path> input(String port);

    /** An empty staging folder for an output port; it becomes the port's value once the node succeeds. */
    Path output(String port);

    /**
     * A folder that survives a failed or cancelled run of the same node with the same inputs and parameters, for
     * checkpoints that let the next run resume. Cleared once the node succeeds.
     */
    Path checkpoints();

    /** Reports progress: {@code fraction} in [0, 1] of this node's work, with a short message. */
    void progress(double fraction, String message);

    /** Reports a named figure (loss, PSNR) at a step, for plots. */
    void metric(String name, long step, double value);

    /** A line for the node's log. */
    void log(String line);

    boolean isCancelled();

    /**
     * The share of frames to process when a render farm split this per-frame node into a job array (see
     * {@link ResourceNeeds#perFrame()}); the node then writes just those frames, and {@link NodeProvider#merge}
     * joins the shares. Empty for a whole run.
     */
    default Optional<FrameSlice> slice() {
        return Optional.empty();
    }

    /** Throws {@link CancellationException} when the node or its run was cancelled. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("node '" + nodeId() + "' was cancelled");
        }
    }
}
