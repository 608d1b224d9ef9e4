package org.portraitgen.field.internal.loss;

import org.portraitgen.core.ImageMetrics;
import org.portraitgen.field.internal.Workers;

/**
 * PortraitGen's reconstruction losses on planar images [C, H, W] in double precision. Each returns the weighted loss
 * and adds weight · dL/dprediction into {@code grad} (same layout as the prediction), so terms compose by summing.
 */
public final class Losses {
    /** 3DGS's SSIM: 11x11 Gaussian window, σ = 1.5, zero padding, C1 = 0.01², C2 = 0.03². */
    static final int WINDOW = 11;
    static final double C1 = 0.01 * 0.01;
    static final double C2 = 0.03 * 0.03;

    private Losses() {
    }

    /** weight · mean |pred - target| over n values starting at the offsets. */
    public static double l1(double[] pred, int po, double[] target, int to, int n, double weight, double[] grad,
            int go) {
        double s = 0;
        double g = weight / n;
        for (int i = 0; i < n; i++) {
            double d = pred[po + i] - target[to + i];
            s += Math.abs(d);
            if (grad != null) {
                grad[go + i] += d > 0 ? g : d < 0 ? -g : 0;
            }
        }
        return weight * s / n;
    }

    /** weight · (1 - mean SSIM) over all channels; the gradient goes to {@code pred}. */
    public static double dssim(double[] pred, double[] target, int channels, int h, int w, double weight,
            double[] grad) {
        return dssim(pred, target, channels, h, w, weight, grad, null);
    }

    /** {@link #dssim} with its blurs' rows split over {@code workers} (null: this thread); the same bits either way. */
    public static double dssim(double[] pred, double[] target, int channels, int h, int w, double weight,
            double[] grad, Workers workers) {
        double[] kernel = gaussianWindow();
        int plane = h * w;
        double total = 0;
        double scale = weight / (channels * (double) plane);
        for (int c = 0; c < channels; c++) {
            double[] x = new double[plane];
            double[] y = new double[plane];
            System.arraycopy(pred, c * plane, x, 0, plane);
            System.arraycopy(target, c * plane, y, 0, plane);
            double[] xx = new double[plane];
            double[] yy = new double[plane];
            double[] xy = new double[plane];
            for (int i = 0; i < plane; i++) {
                xx[i] = x[i] * x[i];
                yy[i] = y[i] * y[i];
                xy[i] = x[i] * y[i];
            }
            double[] mx = blur(x, h, w, kernel, workers);
            double[] my = blur(y, h, w, kernel, workers);
            double[] sxx = blur(xx, h, w, kernel, workers);
            double[] syy = blur(yy, h, w, kernel, workers);
            double[] sxy = blur(xy, h, w, kernel, workers);
            // per-pixel dS/dmx, dS/d(blur x²), dS/d(blur xy), to be blurred back (the blur is self-adjoint)
            double[] gMx = new double[plane];
            double[] gXx = new double[plane];
            double[] gXy = new double[plane];
            for (int i = 0; i < plane; i++) {
                double a = mx[i];
                double b = my[i];
                double vx = sxx[i] - a * a;
                double vy = syy[i] - b * b;
                double cxy = sxy[i] - a * b;
                double n1 = 2 * a * b + C1;
                double n2 = 2 * cxy + C2;
                double d1 = a * a + b * b + C1;
                double d2 = vx + vy + C2;
                double s = n1 * n2 / (d1 * d2);
                total += s;
                double dN1 = n2 / (d1 * d2);
                double dN2 = n1 / (d1 * d2);
                double dD1 = -s / d1;
                double dD2 = -s / d2;
                // through n1 = 2ab, n2 = 2(sxy - ab), d1 = a² + ..., d2 = sxx - a² + ...
                gMx[i] = -scale * (dN1 * 2 * b - dN2 * 2 * b + dD1 * 2 * a - dD2 * 2 * a);
                gXx[i] = -scale * dD2;
                gXy[i] = -scale * 2 * dN2;
            }
            if (grad != null) {
                double[] bMx = blur(gMx, h, w, kernel, workers);
                double[] bXx = blur(gXx, h, w, kernel, workers);
                double[] bXy = blur(gXy, h, w, kernel, workers);
                for (int i = 0; i < plane; i++) {
                    grad[c * plane + i] += bMx[i] + 2 * x[i] * bXx[i] + y[i] * bXy[i];
                }
            }
        }
        return weight * (1 - total / (channels * (double) plane));
    }

    static double[] gaussianWindow() {
        return ImageMetrics.ssimWindow(); // the metric's window, so the loss optimises what PSNR/SSIM reports
    }

    /** Separable blur with zero padding (conv2d with padding = window / 2). */
    static double[] blur(double[] in, int h, int w, double[] k) {
        return blur(in, h, w, k, null);
    }

    private static final int BLUR_ROWS = 16;

    /**
     * {@link #blur(double[], int, int, double[])} in bands of rows over {@code workers} (null: this thread). Each
     * output sums its taps in the same order as a plain loop would, so the result is bit-identical for any split.
     * Every inner loop runs along a row between arrays that all start at index 0: C2's SuperWord vectorises such a
     * loop, but not one that reads a flat image at an offset another array's index does not share. Taps past the
     * border read zeros from the padded row, which add exactly nothing (the sum starts at +0).
     */
    static double[] blur(double[] in, int h, int w, double[] k, Workers workers) {
        int r = k.length / 2;
        double[][] tmp = new double[h][];
        double[] out = new double[h * w];
        int bands = (h + BLUR_ROWS - 1) / BLUR_ROWS;
        java.util.function.IntConsumer horizontal = b -> {
            double[] padded = new double[w + 2 * r];
            double[] shifted = new double[w];
            for (int y = b * BLUR_ROWS, ye = Math.min(h, y + BLUR_ROWS); y < ye; y++) {
                System.arraycopy(in, y * w, padded, r, w);
                double[] row = new double[w];
                if (k.length == 11) {
                    taps11(padded, k, row, w);
                } else {
                    for (int j = 0; j < k.length; j++) {
                        System.arraycopy(padded, j, shifted, 0, w);
                        double kj = k[j];
                        for (int x = 0; x < w; x++) {
                            row[x] += kj * shifted[x];
                        }
                    }
                }
                tmp[y] = row;
            }
        };
        java.util.function.IntConsumer vertical = b -> {
            double[] row = new double[w];
            for (int y = b * BLUR_ROWS, ye = Math.min(h, y + BLUR_ROWS); y < ye; y++) {
                java.util.Arrays.fill(row, 0);
                // row starts at 0 and takes the taps in order, as the per-pixel sum would
                for (int j = -r; j <= r; j++) {
                    int yy = y + j;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    double kj = k[j + r];
                    double[] src = tmp[yy];
                    for (int x = 0; x < w; x++) {
                        row[x] += kj * src[x];
                    }
                }
                System.arraycopy(row, 0, out, y * w, w);
            }
        };
        if (workers == null) {
            for (int b = 0; b < bands; b++) {
                horizontal.accept(b);
            }
            for (int b = 0; b < bands; b++) {
                vertical.accept(b);
            }
        } else {
            workers.forEach(bands, horizontal);
            workers.forEach(bands, vertical);
        }
        return out;
    }

    /**
     * row[x] = Σ_j k[j]·padded[x + j] for the 11-tap window (the SSIM window's size), summed from 0 in tap order:
     * the loads sit at constant offsets from the store, which C2 vectorises, where shifted copies would cost a
     * copy per tap.
     */
    private static void taps11(double[] p, double[] k, double[] row, int w) {
        double k0 = k[0];
        double k1 = k[1];
        double k2 = k[2];
        double k3 = k[3];
        double k4 = k[4];
        double k5 = k[5];
        double k6 = k[6];
        double k7 = k[7];
        double k8 = k[8];
        double k9 = k[9];
        double k10 = k[10];
        for (int x = 0; x < w; x++) {
            double s = 0;
            s += k0 * p[x];
            s += k1 * p[x + 1];
            s += k2 * p[x + 2];
            s += k3 * p[x + 3];
            s += k4 * p[x + 4];
            s += k5 * p[x + 5];
            s += k6 * p[x + 6];
            s += k7 * p[x + 7];
            s += k8 * p[x + 8];
            s += k9 * p[x + 9];
            s += k10 * p[x + 10];
            row[x] = s;
        }
    }

    /**
     * GaussianAvatars' offset regulariser: weight · mean over Gaussians of max(|offset| - threshold, 0)², offsets
     * [N, 3] in triangle units, so Gaussians stay near their triangle.
     */
    public static double offsetRegulariser(double[] offsets, double threshold, double weight, double[] grad) {
        int n = offsets.length / 3;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double len = Math.sqrt(offsets[3 * i] * offsets[3 * i] + offsets[3 * i + 1] * offsets[3 * i + 1]
                    + offsets[3 * i + 2] * offsets[3 * i + 2]);
            double excess = len - threshold;
            if (excess > 0) {
                s += excess * excess;
                if (grad != null) {
                    double g = weight * 2 * excess / (n * len);
                    for (int k = 0; k < 3; k++) {
                        grad[3 * i + k] += g * offsets[3 * i + k];
                    }
                }
            }
        }
        return n == 0 ? 0 : weight * s / n;
    }

    /**
     * GaussianAvatars' scale regulariser: weight · mean over scale entries of max(exp(logScale) - threshold, 0), with
     * scales relative to the triangle, so Gaussians do not grow into blobs.
     */
    public static double scaleRegulariser(double[] logScales, double threshold, double weight, double[] grad) {
        int n = logScales.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(logScales[i]);
            if (e > threshold) {
                s += e - threshold;
                if (grad != null) {
                    grad[i] += weight * e / n;
                }
            }
        }
        return n == 0 ? 0 : weight * s / n;
    }
}
