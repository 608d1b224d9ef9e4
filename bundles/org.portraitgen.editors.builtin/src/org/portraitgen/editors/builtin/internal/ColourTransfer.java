package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/**
 * Reinhard et al.'s colour transfer ("Color Transfer between Images", 2001) in CIE Lab: each channel of the image
 * is shifted and scaled to the reference's mean and standard deviation. Statistics of the image are taken inside
 * the mask, so the region being edited is what matches the reference.
 */
final class ColourTransfer {

    private ColourTransfer() {
    }

    static FloatImage transfer(FloatImage image, FloatImage mask, FloatImage reference) {
        FloatImage lab = Mats.toLab(image);
        FloatImage refLab = Mats.toLab(reference);
        int plane = lab.planeSize();
        for (int c = 0; c < 3; c++) {
            double[] src = stats(lab.data(), c * plane, plane, mask);
            double[] ref = stats(refLab.data(), c * reference.planeSize(), reference.planeSize(), null);
            double scale = src[1] < 1e-6 ? 1 : ref[1] / src[1];
            for (int i = 0; i < plane; i++) {
                int k = c * plane + i;
                lab.data()[k] = (float) ((lab.data()[k] - src[0]) * scale + ref[0]);
            }
        }
        FloatImage rgb = Mats.fromLab(lab);
        for (int i = 0; i < rgb.data().length; i++) {
            rgb.data()[i] = MaskBlend.clamp01(rgb.data()[i]);
        }
        return rgb;
    }

    /** Mask-weighted mean and standard deviation of one plane; the whole plane when the mask is null or empty. */
    private static double[] stats(float[] d, int offset, int n, FloatImage mask) {
        double sw = 0;
        double s = 0;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double w = mask == null ? 1 : mask.data()[i];
            double v = d[offset + i];
            sw += w;
            s += w * v;
            ss += w * v * v;
        }
        if (sw < 1e-6) {
            return stats(d, offset, n, null);
        }
        double mean = s / sw;
        return new double[] {mean, Math.sqrt(Math.max(0, ss / sw - mean * mean))};
    }
}
