package org.portraitgen.tracking.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.portraitgen.tracking.internal.matte.ColorGuidedFilter;
import org.portraitgen.tracking.internal.matte.GuidedFilter;

/** The box mean against a brute-force reference, and the guided filters moving a mask edge onto the guide's edge. */
class GuidedFilterTest {

    @Test
    void boxMeanMatchesABruteForceWindowMeanAtEveryRadius() {
        Random rnd = new Random(1);
        int w = 37, h = 23; // odd sizes, and a radius larger than the image
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
        }
        for (int r : new int[] { 0, 1, 3, 8, 40 }) {
            float[] got = new GuidedFilter(r, 1e-3f).boxMean(v, w, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    int n = 0;
                    for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                        for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                            s += v[yy * w + xx];
                            n++;
                        }
                    }
                    // float output of double sums: 1e-6 is float rounding of values near 1
                    assertEquals(s / n, got[y * w + x], 1e-6, "r=" + r + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void aCoarseMaskEdgeSnapsToTheGuidesEdge() {
        int w = 64, h = 16, imageEdge = 30;
        float[] grey = new float[w * h], rgb = new float[3 * w * h], mask = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                // a red-to-green edge for the RGB guide, a dark-to-light one for the grey guide
                grey[i] = x < imageEdge ? 0.2f : 0.8f;
                rgb[i] = x < imageEdge ? 0.8f : 0.2f;
                rgb[w * h + i] = x < imageEdge ? 0.2f : 0.8f;
                rgb[2 * w * h + i] = 0.5f;
                // a coarse mask: a 16 px ramp centred 2 px off the true edge, as an upsampled network output
                mask[i] = Math.max(0f, Math.min(1f, (40 - x) / 16f));
            }
        }
        float[] q = new GuidedFilter(8, 1e-4f).filter(grey, mask, w, h);
        assertEdgeAt(q, w, imageEdge);
        float[] c = new ColorGuidedFilter(8, 1e-4f).filter(rgb, mask, w, h);
        assertEdgeAt(c, w, imageEdge);
    }

    private static void assertEdgeAt(float[] q, int w, int edge) {
        int row = 8 * w;
        // the input ramp steps by 1/16 per pixel; the filtered mask must step by far more at the guide's edge
        // (measured 0.47 at radius 8) and stay near the input elsewhere
        double step = q[row + edge - 1] - q[row + edge];
        assertTrue(step > 0.3, "step at the guide's edge: " + step);
        assertTrue(q[row + edge - 3] > 0.8f && q[row + edge + 3] < 0.4f, q[row + edge - 3] + " / " + q[row + edge + 3]);
        assertTrue(Math.abs(q[row + 5] - 1) < 0.05 && q[row + w - 5] < 0.05, "far from the edge the mask is kept");
    }
}
