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

    /**
     * Mean over the (2r+1)² window clipped to the image: two separable running sums (rows, then columns), so the
     * cost does not grow with the radius and no w*h table of doubles is allocated per call.
     */
    public float[] boxMean(float[] v, int w, int h) {
        float[] rows = new float[w * h];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            double sum = 0;
            for (int x = 0; x <= Math.min(radius, w - 1); x++) {
                sum += v[o + x];
            }
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - radius), x1 = Math.min(w - 1, x + radius);
                rows[o + x] = (float) (sum / (x1 - x0 + 1));
                if (x + radius + 1 < w) {
                    sum += v[o + x + radius + 1];
                }
                if (x - radius >= 0) {
                    sum -= v[o + x - radius];
                }
            }
        }
        float[] out = new float[w * h];
        double[] col = new double[w];
        for (int y = 0; y <= Math.min(radius, h - 1); y++) {
            for (int x = 0; x < w; x++) {
                col[x] += rows[y * w + x];
            }
        }
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - radius), y1 = Math.min(h - 1, y + radius), count = y1 - y0 + 1;
            int o = y * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = (float) (col[x] / count);
            }
            if (y + radius + 1 < h) {
                int add = (y + radius + 1) * w;
                for (int x = 0; x < w; x++) {
                    col[x] += rows[add + x];
                }
            }
            if (y - radius >= 0) {
                int sub = (y - radius) * w;
                for (int x = 0; x < w; x++) {
                    col[x] -= rows[sub + x];
                }
            }
        }
        return out;
    }
}
