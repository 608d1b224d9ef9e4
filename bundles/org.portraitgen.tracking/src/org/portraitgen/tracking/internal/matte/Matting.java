package org.portraitgen.tracking.internal.matte;

import java.nio.file.Path;

import org.bytedeco.opencv.opencv_core.Mat;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.tracking.internal.models.Mats;

/**
 * Person mattes for consecutive frames of one clip: segmentation, guided-filter refinement at full resolution, then
 * temporal stabilisation. One instance per clip and thread.
 */
public final class Matting implements AutoCloseable {

    private final SelfieSegmenter segmenter;
    private final TemporalMaskFilter temporal;
    private final boolean refine;
    private ColorGuidedFilter guided;

    /**
     * @param stabilise 0 keeps every frame's mask as is; up to 1 for strong smoothing on still regions
     */
    public Matting(Path segmentationModel, boolean refine, double stabilise) {
        this.segmenter = new SelfieSegmenter(segmentationModel);
        this.refine = refine;
        this.temporal = stabilise <= 0 ? null : new TemporalMaskFilter((float) (1 - stabilise), 0.08f);
    }

    /** The next frame's matte, values in [0, 1], 1 = person. */
    public FloatImage next(FloatImage frame) {
        int w = frame.width(), h = frame.height();
        float[] mask;
        try (Mat bgr = Mats.bgr(frame)) {
            mask = segmenter.segment(bgr);
        }
        float[] luma = Mats.luma(frame);
        if (refine) {
            if (guided == null) {
                // window ~1/64 of the frame: wide enough to span the coarse mask's blur (256² upsampled); an RGB
                // guide, because on d0 a grey one left the mask where it was (IoU with a chroma key 0.966 -> 0.966)
                // while the colour one moved it onto the hair line (0.969)
                guided = new ColorGuidedFilter(Math.max(2, Math.max(w, h) / 64), 1e-3f);
            }
            mask = guided.filter(frame.data(), mask, w, h);
        }
        if (temporal != null) {
            mask = temporal.apply(mask, luma, w, h);
        }
        return new FloatImage(w, h, 1, mask);
    }

    @Override
    public void close() {
        segmenter.close();
    }
}
