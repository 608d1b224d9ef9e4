package org.portraitgen.tracking.internal.matte;

/**
 * He et al.'s guided filter with a grey guide: the output is locally a linear function of the guide, so a coarse mask
 * takes on the frame's edges (hair strands, the shoulder line) at full resolution. O(pixels) per call, independent of
 * the radius, through summed-area tables.
 */
public final class GuidedFilter {

    private final int radius;
    private final float eps;

    /**
     * @param radius window half size in pixels
     * @param eps    regularisation: larger keeps the input mask, smaller follows the guide's edges more
     */
    public GuidedFilter(int radius, float eps) {
        this.radius = radius;
        this.eps = eps;
    }

    /** Filters {@code p} (h*w) guided by {@code guide} (h*w, values in [0, 1]). */
    public float[] filter(float[] guide, float[] p, int w, int h) {
        int n = w * h;
        float[] ip = new float[n], ii = new float[n];
        for (int i = 0; i < n; i++) {
            ip[i] = guide[i] * p[i];
            ii[i] = guide[i] * guide[i];
        }
        float[] meanI = boxMean(guide, w, h), meanP = boxMean(p, w, h);
        float[] meanIp = boxMean(ip, w, h), meanII = boxMean(ii, w, h);
        float[] a = ip, b = ii; // reuse the buffers
        for (int i = 0; i < n; i++) {
            float cov = meanIp[i] - meanI[i] * meanP[i];
            float var = meanII[i] - meanI[i] * meanI[i];
            a[i] = cov / (var + eps);
            b[i] = meanP[i] - a[i] * meanI[i];
        }
        float[] meanA = boxMean(a, w, h), meanB = boxMean(b, w, h);
        float[] q = new float[n];
        for (int i = 0; i < n; i++) {
            q[i] = Math.max(0f, Math.min(1f, meanA[i] * guide[i] + meanB[i]));
        }
        return q;
    }

    /** Mean over the (2r+1)² window clipped to the image. */
    float[] boxMean(float[] v, int w, int h) {
        double[] sat = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int x = 0; x < w; x++) {
                row += v[y * w + x];
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - radius), y1 = Math.min(h, y + radius + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - radius), x1 = Math.min(w, x + radius + 1);
                double s = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0]
                        + sat[y0 * (w + 1) + x0];
                out[y * w + x] = (float) (s / ((y1 - y0) * (x1 - x0)));
            }
        }
        return out;
    }
}
