package org.portraitgen.tracking.internal.matte;

/**
 * Removes mask flicker where the frame does not change: each pixel blends the new mask with the previous output, with
 * a weight on the new mask that rises with the local change of the frame. On a still background the mask settles;
 * where the person moves the new mask wins at once, so moving edges do not lag.
 */
public final class TemporalMaskFilter {

    /** Weight of the new mask where the frame is unchanged. */
    private final float stillWeight;
    /** Luma change (0..1) at which the new mask takes over fully. */
    private final float motionScale;
    private final GuidedFilter smoothing = new GuidedFilter(2, 1f);
    private float[] previousMask;
    private float[] previousLuma;

    public TemporalMaskFilter(float stillWeight, float motionScale) {
        this.stillWeight = stillWeight;
        this.motionScale = motionScale;
    }

    public float[] apply(float[] mask, float[] luma, int w, int h) {
        if (previousMask == null) {
            previousMask = mask.clone();
            previousLuma = luma.clone();
            return mask;
        }
        float[] change = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            change[i] = Math.abs(luma[i] - previousLuma[i]);
        }
        // a 5x5 mean, so sensor noise on one pixel does not count as motion
        change = smoothing.boxMean(change, w, h);
        float[] out = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            float k = Math.min(1f, stillWeight + change[i] / motionScale);
            out[i] = k * mask[i] + (1 - k) * previousMask[i];
        }
        previousMask = out.clone();
        previousLuma = luma.clone();
        return out;
    }
}
