package org.portraitgen.editors.builtin.tests;

import java.util.SplittableRandom;

import org.portraitgen.api.image.FloatImage;

/** Small synthetic images with edges, gradients and texture, so every effect has something to work on. */
final class TestImages {

    private TestImages() {
    }

    /** A face-like scene: a lit disc on a gradient background with some fixed noise. */
    static FloatImage portrait(int w, int h, long seed) {
        FloatImage img = new FloatImage(w, h, 3);
        SplittableRandom rnd = new SplittableRandom(seed);
        double cx = w * 0.5;
        double cy = h * 0.45;
        double r = Math.min(w, h) * 0.32;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - cx, y - cy) / Math.max(r, 1e-3);
                boolean face = d < 1;
                double shade = face ? 0.55 + 0.4 * Math.max(0, 1 - d) : 0.2 + 0.5 * x / Math.max(1, w - 1);
                float n = (float) (rnd.nextDouble() - 0.5) * 0.06f;
                img.set(0, x, y, clamp((face ? 0.95 : 0.25) * (float) shade + n));
                img.set(1, x, y, clamp((face ? 0.75 : 0.45) * (float) shade + n));
                img.set(2, x, y, clamp((face ? 0.6 : 0.8) * (float) shade + n));
            }
        }
        return img;
    }

    /** A 1-channel mask: 1 in the right half (x >= w / 2), 0 elsewhere. */
    static FloatImage rightHalf(int w, int h) {
        FloatImage m = new FloatImage(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = w / 2; x < w; x++) {
                m.set(0, x, y, 1);
            }
        }
        return m;
    }

    private static float clamp(double v) {
        return (float) (v < 0 ? 0 : v > 1 ? 1 : v);
    }
}
