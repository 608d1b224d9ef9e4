package org.portraitgen.video.internal.nodes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;

import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.video.internal.VideoFileException;

/** Messages, progress and input handling shared by the video node types. */
final class NodeSupport {

    private NodeSupport() {
    }

    /** "node 'decode1' (video.decode): ..." so a failure in a big graph points at the node. */
    static NodeException failure(NodeContext context, String type, String what, Throwable cause) {
        String message = "node '" + context.nodeId() + "' (" + type + "): " + what;
        // an unusable video is the user's to replace, not a fault to retry (the CLI exits with 2)
        return cause instanceof VideoFileException ? new InvalidInputException(message, cause)
                : new NodeException(message, cause);
    }

    static NodeException failure(NodeContext context, String type, String what) {
        return failure(context, type, what, null);
    }

    /**
     * Progress that also polls cancellation: VideoIO calls it once per frame, so a cancel stops the work within a
     * frame (the CancellationException unwinds through VideoIO, which deletes its temp files).
     */
    static DoubleConsumer progress(NodeContext context, String message) {
        return fraction -> {
            context.checkCancelled();
            context.progress(fraction, message);
        };
    }

    /** Opens the frame store connected to an input port. */
    static FrameStore inputFrames(NodeContext context, String type, VideoIO io, String port) throws NodeException {
        Path dir = context.input(port).orElseThrow(
                () -> failure(context, type, "input '" + port + "' is not connected"));
        try {
            return io.open(dir);
        } catch (IOException e) {
            throw failure(context, type, "input '" + port + "': " + e.getMessage(), e);
        }
    }
}
