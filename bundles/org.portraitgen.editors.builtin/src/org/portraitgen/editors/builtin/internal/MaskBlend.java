package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/** Mixes an effect into the original inside a (possibly feathered) mask. */
final class MaskBlend {

    private MaskBlend() {
    }

    /**
     * {@code original + w * (effect - original)} with {@code w = strength * mask}: where w is 0 the original value is
     * returned bit for bit, which is what "pixels outside the mask unchanged" promises. Results are clamped to [0, 1].
     *
     * @param mask 1 channel, same size, or null for the whole image
     */
    static FloatImage blend(FloatImage original, FloatImage effect, FloatImage mask, double strength) {
        if (!effect.sameSize(original) || effect.channels() != original.channels()) {
            throw new IllegalStateException("effect is " + effect + ", input " + original);
        }
        int plane = original.planeSize();
        float[] o = original.data();
        float[] e = effect.data();
        float[] out = new float[o.length];
        float s = (float) strength;
        for (int c = 0; c < original.channels(); c++) {
            for (int i = 0; i < plane; i++) {
                int k = c * plane + i;
                float w = mask == null ? s : s * clamp01(mask.data()[i]);
                out[k] = w == 0 ? o[k] : clamp01(o[k] + w * (e[k] - o[k]));
            }
        }
        return new FloatImage(original.width(), original.height(), original.channels(), out);
    }

    static float clamp01(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
