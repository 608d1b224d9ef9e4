package org.portraitgen.api.node;

import java.util.Objects;

/**
 * The type of data that travels along an edge. A port value is always a folder in the run's cache (the data plane
 * shared by in-process execution, worker processes and render-farm nodes); the type says what that folder holds.
 * Bundles may define new types; two ports connect when their ids are equal.
 */
public record PortType(String id, String description) {

    /** A frame store: decoded frames plus {@code frames.json} (see {@code org.portraitgen.api.video.FrameStore}). */
    public static final PortType FRAMES = new PortType("frames", "decoded video frames with timing");
    /** A frame store of single-channel foreground masks aligned with the frames. */
    public static final PortType MASKS = new PortType("masks", "per-frame foreground masks");
    /** A tracking file: per-frame cameras and rig states. */
    public static final PortType TRACKING = new PortType("tracking", "per-frame camera and rig state");
    /** A Gaussian field checkpoint. */
    public static final PortType FIELD = new PortType("field", "Gaussian field with neural renderer");
    /** An encoded video file ({@code video.mp4} or a PNG sequence). */
    public static final PortType VIDEO = new PortType("video", "encoded video file");

    public PortType {
        Objects.requireNonNull(id, "id");
        description = description == null ? id : description;
    }

    public boolean accepts(PortType other) {
        return id.equals(other.id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortType p && p.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
