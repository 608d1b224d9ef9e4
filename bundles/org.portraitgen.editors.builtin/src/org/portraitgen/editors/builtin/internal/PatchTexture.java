package org.portraitgen.editors.builtin.internal;

import java.util.SplittableRandom;

import org.portraitgen.api.image.FloatImage;

/**
 * Patch-based texture transfer in the spirit of Efros and Freeman's image quilting: for each overlapping patch of
 * the image, a reference patch with similar low-frequency luminance layout is found (random candidates from the
 * seed plus the neighbours' matches, as PatchMatch propagates), and its high-frequency detail (brush marks, grain,
 * hatching) replaces the image's own, overlap-added under a Hann window so no seams show.
 */
final class PatchTexture {

    /** 3x3 block means describe a patch's layout; cheap to compare and robust to the detail being replaced. */
    private static final int BLOCKS = 3;
    private static final int CANDIDATES = 48;

    private PatchTexture() {
    }

    /**
     * @param image     RGB the structure comes from
     * @param reference RGB the texture comes from, at the image's scale
     * @param patch     patch side in pixels
     * @param amount    0 keeps the image's detail, 1 uses only the reference's
     */
    static FloatImage transfer(FloatImage image, FloatImage reference, int patch, float amount, long seed) {
        int w = image.width();
        int h = image.height();
        int p = Math.min(patch, Math.min(reference.width(), reference.height()));
        if (p < 2) {
            return image.copy(); // no texture fits in a reference this small
        }
        double sigma = p / 4.0;
        FloatImage base = Planes.blur(image, sigma);
        FloatImage refBase = Planes.blur(reference, sigma);
        BlockMeans target = new BlockMeans(Planes.luma(base), w, h, p);
        BlockMeans source = new BlockMeans(Planes.luma(refBase), reference.width(), reference.height(), p);
        int step = Math.max(1, p / 2);
        int gw = (w + step - 1) / step + 1;
        int gh = (h + step - 1) / step + 1;
        int[] matchX = new int[gw * gh];
        int[] matchY = new int[gw * gh];
        float[] acc = new float[3 * w * h];
        float[] weight = new float[w * h];
        float[] window = hann(p);
        SplittableRandom rnd = new SplittableRandom(seed);
        int maxX = reference.width() - p;
        int maxY = reference.height() - p;
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                int tx = gx * step - step;
                int ty = gy * step - step;
                float[] want = target.at(tx, ty);
                int bestX = 0;
                int bestY = 0;
                float best = Float.MAX_VALUE;
                for (int c = 0; c < CANDIDATES + 2; c++) {
                    int sx;
                    int sy;
                    if (c == CANDIDATES && gx > 0) {
                        int n = gy * gw + gx - 1;
                        sx = Math.min(maxX, matchX[n] + step);
                        sy = matchY[n];
                    } else if (c == CANDIDATES + 1 && gy > 0) {
                        int n = (gy - 1) * gw + gx;
                        sx = matchX[n];
                        sy = Math.min(maxY, matchY[n] + step);
                    } else {
                        sx = rnd.nextInt(maxX + 1);
                        sy = rnd.nextInt(maxY + 1);
                    }
                    float d = distance(want, source.at(sx, sy));
                    if (d < best) {
                        best = d;
                        bestX = sx;
                        bestY = sy;
                    }
                }
                matchX[gy * gw + gx] = bestX;
                matchY[gy * gw + gx] = bestY;
                addDetail(acc, weight, w, h, tx, ty, reference, refBase, bestX, bestY, p, window);
            }
        }
        FloatImage out = new FloatImage(w, h, 3);
        int plane = w * h;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                int k = c * plane + i;
                float own = image.data()[k] - base.data()[k];
                float borrowed = weight[i] > 0 ? acc[k] / weight[i] : own;
                out.data()[k] = MaskBlend.clamp01(base.data()[k] + amount * borrowed + (1 - amount) * own);
            }
        }
        return out;
    }

    private static void addDetail(float[] acc, float[] weight, int w, int h, int tx, int ty, FloatImage ref,
            FloatImage refBase, int sx, int sy, int p, float[] window) {
        int rw = ref.width();
        int rplane = ref.planeSize();
        int plane = w * h;
        for (int v = 0; v < p; v++) {
            int y = ty + v;
            if (y < 0 || y >= h) {
                continue;
            }
            for (int u = 0; u < p; u++) {
                int x = tx + u;
                if (x < 0 || x >= w) {
                    continue;
                }
                float wt = window[v] * window[u] + 1e-6f;
                int r = (sy + v) * rw + sx + u;
                for (int c = 0; c < 3; c++) {
                    acc[c * plane + y * w + x] += wt * (ref.data()[c * rplane + r] - refBase.data()[c * rplane + r]);
                }
                weight[y * w + x] += wt;
            }
        }
    }

    private static float[] hann(int p) {
        float[] win = new float[p];
        for (int i = 0; i < p; i++) {
            double s = Math.sin(Math.PI * (i + 0.5) / p);
            win[i] = (float) (s * s);
        }
        return win;
    }

    private static float distance(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** Block means of p x p patches from a summed-area table, so any patch position costs 9 lookups. */
    private static final class BlockMeans {
        private final double[] sat;
        private final int w;
        private final int h;
        private final int p;

        BlockMeans(float[] luma, int w, int h, int p) {
            this.w = w;
            this.h = h;
            this.p = p;
            sat = new double[(w + 1) * (h + 1)];
            for (int y = 0; y < h; y++) {
                double row = 0;
                for (int x = 0; x < w; x++) {
                    row += luma[y * w + x];
                    sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
                }
            }
        }

        /** The patch at (x, y) may hang over the border: blocks are clipped to the image. */
        float[] at(int x, int y) {
            float[] out = new float[BLOCKS * BLOCKS];
            for (int by = 0; by < BLOCKS; by++) {
                for (int bx = 0; bx < BLOCKS; bx++) {
                    int x0 = clamp(x + bx * p / BLOCKS, w);
                    int x1 = clamp(x + (bx + 1) * p / BLOCKS, w);
                    int y0 = clamp(y + by * p / BLOCKS, h);
                    int y1 = clamp(y + (by + 1) * p / BLOCKS, h);
                    int area = Math.max(1, (x1 - x0) * (y1 - y0));
                    double s = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0]
                            + sat[y0 * (w + 1) + x0];
                    out[by * BLOCKS + bx] = (float) (s / area);
                }
            }
            return out;
        }

        private static int clamp(int v, int n) {
            return v < 0 ? 0 : Math.min(v, n);
        }
    }
}
