package org.portraitgen.tracking.internal;

import java.util.List;
import java.util.Locale;

import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.tracking.internal.face.FaceChoice;
import org.portraitgen.tracking.internal.track.TrackOptions;

/** The {@code track.track} parameters the tracker reads, with their schema. */
final class TrackParameters {

    static final List<ParameterSpec> SPECS = List.of(
            ParameterSpec.text("tracker", "tracker id (service property portraitgen.tracker.id): 'mediapipe' (default),"
                    + " or 'smplx' (bundle org.portraitgen.tracking.smplx, with your SMPL-X/SMPL/FLAME model files)",
                    MediaPipeTracker.ID),
            ParameterSpec.text("model_path", "tracker 'smplx': your model .npz or its folder (empty: system property"
                    + " portraitgen.smplx.models or environment variable PORTRAITGEN_SMPLX_MODELS)", ""),
            ParameterSpec.choice("face", "which face to follow when several are visible: 'only' fails then",
                    "only", List.of("only", "largest", "center")),
            ParameterSpec.number("fov_degrees", "assumed horizontal field of view when focal_px is 0", 60.0, 10, 150),
            ParameterSpec.number("focal_px", "focal length in pixels (0: from the field of view)", 0.0, 0, 100000),
            ParameterSpec.number("smoothing_hz", "One Euro minimum cut-off; lower is smoother", 3.0, 0.1, 30),
            ParameterSpec.bool("overlay_video", "write overlay.mp4 (mesh and landmarks over the frames)", true));

    private final NodeParameters values;

    TrackParameters(NodeContext context) {
        this.values = context.parameters();
    }

    TrackOptions options() {
        TrackOptions d = TrackOptions.DEFAULT;
        return new TrackOptions(number("fov_degrees", d.fovDegrees()), number("focal_px", d.focalPx()),
                FaceChoice.valueOf(text("face", "only").toUpperCase(Locale.ROOT)), d.minPresence(),
                d.minTrackedShare(), number("smoothing_hz", d.smoothing()), d.expressionSize());
    }

    boolean overlayVideo() {
        return !values.has("overlay_video") || values.bool("overlay_video");
    }

    private double number(String name, double fallback) {
        return values.has(name) ? values.number(name) : fallback;
    }

    private String text(String name, String fallback) {
        return values.has(name) ? values.string(name) : fallback;
    }
}
