package org.portraitgen.field.internal.train;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;

/** One supervised frame: target RGB, optional foreground mask, and the rig state (camera + posed mesh). */
public record TrainingFrame(RigState state, FloatImage rgb, FloatImage mask) {
    public TrainingFrame {
        if (rgb.channels() != 3) {
            throw new IllegalArgumentException("frame " + state.frame() + ": expected RGB, got " + rgb.channels()
                    + " channels");
        }
        if (rgb.width() != state.camera().width() || rgb.height() != state.camera().height()) {
            throw new IllegalArgumentException("frame " + state.frame() + ": image is " + rgb.width() + "x"
                    + rgb.height() + " but its camera is " + state.camera().width() + "x" + state.camera().height());
        }
        if (mask != null && (mask.channels() != 1 || !mask.sameSize(rgb))) {
            throw new IllegalArgumentException("frame " + state.frame() + ": mask must be one channel of the image's"
                    + " size, got " + mask);
        }
    }
}
