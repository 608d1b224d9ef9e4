package org.portraitgen.edit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.image.FloatImage;

/** The warp error on motion whose answer is known: a smooth texture sliding 2 pixels to the right. */
class WarpErrorTest {

    static FloatImage texture(int w, int h, double shift, float offset) {
        Random rnd = new Random(5);
        double[] a = new double[12];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble();
        }
        FloatImage img = new FloatImage(w, h, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = x - shift;
                    double v = 0.5 + 0.2 * Math.sin(u * 0.21 + a[c]) * Math.cos(y * 0.17 + a[c + 3])
                            + 0.15 * Math.sin((u + y) * 0.09 + a[c + 6]);
                    img.set(c, x, y, (float) (v + offset));
                }
            }
        }
        return img;
    }

    @Test
    void followsTheSourceMotionAndMeasuresWhatTheEditChanged() {
        FloatImage t = texture(96, 80, 0, 0), next = texture(96, 80, 2, 0);
        try (WarpError warp = new WarpError()) {
            WarpError.Motion m = warp.motion(t, next);
            int i = 40 * 96 + 48;
            assertEquals(2, m.forward()[2 * i], 0.3); // DIS finds the slide
            assertEquals(0, m.forward()[2 * i + 1], 0.3);
            double source = WarpError.error(m, t, next);
            assertTrue(source < 1.5, "the source warps onto itself: " + source + " levels");
            // an edit that brightens frame t+1 by 10 levels is off by 10 levels wherever the flow is good
            double flicker = WarpError.error(m, t, texture(96, 80, 2, 10 / 255f));
            assertEquals(10, flicker - source, 1.5);
        }
    }
}
