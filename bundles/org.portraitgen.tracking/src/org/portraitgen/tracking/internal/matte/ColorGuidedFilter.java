package org.portraitgen.tracking.internal.matte;

/**
 * The guided filter with an RGB guide (He et al., eq. 14): each window fits the mask as a linear function of the
 * three colour channels, so edges between regions of equal brightness but different colour (skin against a green
 * screen, dark hair against a dark jacket) still steer the mask, which a grey guide cannot do.
 */
public final class ColorGuidedFilter {

    private final GuidedFilter box;
    private final float eps;

    public ColorGuidedFilter(int radius, float eps) {
        this.box = new GuidedFilter(radius, eps);
        this.eps = eps;
    }

    /**
     * @param rgb planar RGB in [0, 1] ({@code 3 * w * h})
     * @param p   the mask to refine ({@code w * h})
     */
    public float[] filter(float[] rgb, float[] p, int w, int h) {
        int n = w * h;
        float[][] ch = new float[3][n];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(rgb, c * n, ch[c], 0, n);
        }
        float[][] meanI = new float[3][], meanIp = new float[3][];
        float[] meanP = box.boxMean(p, w, h);
        float[] tmp = new float[n];
        for (int c = 0; c < 3; c++) {
            meanI[c] = box.boxMean(ch[c], w, h);
            for (int i = 0; i < n; i++) {
                tmp[i] = ch[c][i] * p[i];
            }
            meanIp[c] = box.boxMean(tmp, w, h);
        }
        // covariance of the guide per window: rr, rg, rb, gg, gb, bb
        int[][] pairs = { { 0, 0 }, { 0, 1 }, { 0, 2 }, { 1, 1 }, { 1, 2 }, { 2, 2 } };
        float[][] cov = new float[6][];
        for (int k = 0; k < 6; k++) {
            float[] a = ch[pairs[k][0]], b = ch[pairs[k][1]];
            for (int i = 0; i < n; i++) {
                tmp[i] = a[i] * b[i];
            }
            float[] m = box.boxMean(tmp, w, h);
            float[] ma = meanI[pairs[k][0]], mb = meanI[pairs[k][1]];
            for (int i = 0; i < n; i++) {
                m[i] -= ma[i] * mb[i];
            }
            cov[k] = m;
        }
        float[][] a = { new float[n], new float[n], new float[n] };
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double rr = cov[0][i] + eps, rg = cov[1][i], rb = cov[2][i], gg = cov[3][i] + eps, gb = cov[4][i];
            double bb = cov[5][i] + eps;
            double c0 = meanIp[0][i] - meanI[0][i] * meanP[i], c1 = meanIp[1][i] - meanI[1][i] * meanP[i];
            double c2 = meanIp[2][i] - meanI[2][i] * meanP[i];
            // inverse of the symmetric 3x3 by cofactors
            double i00 = gg * bb - gb * gb, i01 = rb * gb - rg * bb, i02 = rg * gb - rb * gg;
            double i11 = rr * bb - rb * rb, i12 = rb * rg - rr * gb, i22 = rr * gg - rg * rg;
            double det = rr * i00 + rg * i01 + rb * i02;
            double a0 = (i00 * c0 + i01 * c1 + i02 * c2) / det, a1 = (i01 * c0 + i11 * c1 + i12 * c2) / det;
            double a2 = (i02 * c0 + i12 * c1 + i22 * c2) / det;
            a[0][i] = (float) a0;
            a[1][i] = (float) a1;
            a[2][i] = (float) a2;
            b[i] = (float) (meanP[i] - a0 * meanI[0][i] - a1 * meanI[1][i] - a2 * meanI[2][i]);
        }
        float[] ma0 = box.boxMean(a[0], w, h), ma1 = box.boxMean(a[1], w, h), ma2 = box.boxMean(a[2], w, h);
        float[] mb = box.boxMean(b, w, h);
        float[] q = new float[n];
        for (int i = 0; i < n; i++) {
            q[i] = Math.max(0f, Math.min(1f, ma0[i] * ch[0][i] + ma1[i] * ch[1][i] + ma2[i] * ch[2][i] + mb[i]));
        }
        return q;
    }
}
