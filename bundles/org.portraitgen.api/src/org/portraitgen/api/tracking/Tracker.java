package org.portraitgen.api.tracking;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.video.FrameStore;

/**
 * Turns frames (and masks) into a rig per frame. Registered as a service with property {@value #ID_PROPERTY}; the
 * {@code Track} node picks one by id.
 */
@ConsumerType
public interface Tracker {

    String ID_PROPERTY = "portraitgen.tracker.id";

    String id();

    String label();

    /** Tracks a clip and writes its tracking file into {@code outputDir}; reports progress through the context. */
    void track(FrameStore frames, FrameStore masks, Path outputDir, NodeContext context) throws Exception;

    /** Reads a tracking folder this tracker wrote. */
    Rig load(Path trackingDir) throws IOException;
}
