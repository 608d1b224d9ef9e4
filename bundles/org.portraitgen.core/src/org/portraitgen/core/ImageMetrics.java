package org.portraitgen.core;

import org.portraitgen.api.image.FloatImage;

/**
 * Full-reference image quality metrics on images in [0, 1].
 *
 * <p>SSIM follows Wang et al. 2004 as scikit-image and the 3DGS code compute it: an 11x11 Gaussian window with
 * sigma 1.5, K1 = 0.01, K2 = 0.03, data range 1, averaged over valid windows of every channel.
 */
public final class ImageMetrics {

    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;

    private ImageMetrics() {
    }

    public static double mse(FloatImage a, FloatImage b) {
        requireSameShape(a, b);
        double sum = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            sum += d * d;
        }
        return sum / x.length;
    }

    /** Peak signal-to-noise ratio in dB for a data range of 1; +infinity for identical images. */
    public static double psnr(FloatImage a, FloatImage b) {
        double mse = mse(a, b);
        return mse == 0 ? Double.POSITIVE_INFINITY : -10 * Math.log10(mse);
    }

    /** Mean SSIM over all channels, using "valid" windows only (no padding). */
    public static double ssim(FloatImage a, FloatImage b) {
        requireSameShape(a, b);
        if (a.width() < WINDOW || a.height() < WINDOW) {
            throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + "x" + WINDOW + ", got "
                    + a.width() + "x" + a.height());
        }
        double[] kernel = ssimWindow();
        int w = a.width();
        int h = a.height();
        int ow = w - WINDOW + 1;
        int oh = h - WINDOW + 1;
        double total = 0;
        for (int c = 0; c < a.channels(); c++) {
            double[] x = plane(a, c);
            double[] y = plane(b, c);
            double[] xx = new double[x.length];
            double[] yy = new double[x.length];
            double[] xy = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                xx[i] = x[i] * x[i];
                yy[i] = y[i] * y[i];
                xy[i] = x[i] * y[i];
            }
            double[] mx = blurValid(x, w, h, kernel);
            double[] my = blurValid(y, w, h, kernel);
            double[] sxx = blurValid(xx, w, h, kernel);
            double[] syy = blurValid(yy, w, h, kernel);
            double[] sxy = blurValid(xy, w, h, kernel);
            double sum = 0;
            for (int i = 0; i < ow * oh; i++) {
                double vx = sxx[i] - mx[i] * mx[i];
                double vy = syy[i] - my[i] * my[i];
                double cov = sxy[i] - mx[i] * my[i];
                sum += ((2 * mx[i] * my[i] + C1) * (2 * cov + C2))
                        / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
            }
            total += sum / (ow * oh);
        }
        return total / a.channels();
    }

    private static double[] plane(FloatImage img, int c) {
        double[] p = new double[img.planeSize()];
        int off = c * img.planeSize();
        for (int i = 0; i < p.length; i++) {
            p[i] = img.data()[off + i];
        }
        return p;
    }

    /** The normalised 1-D Gaussian window of SSIM (11 taps, sigma 1.5); losses use the same one. */
    public static double[] ssimWindow() {
        double[] k = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - WINDOW / 2;
            k[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Separable Gaussian filter keeping only positions where the whole window fits. */
    private static double[] blurValid(double[] src, int w, int h, double[] k) {
        int ow = w - WINDOW + 1;
        int oh = h - WINDOW + 1;
        double[] rows = new double[ow * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int i = 0; i < WINDOW; i++) {
                    s += k[i] * src[y * w + x + i];
                }
                rows[y * ow + x] = s;
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int i = 0; i < WINDOW; i++) {
                    s += k[i] * rows[(y + i) * ow + x];
                }
                out[y * ow + x] = s;
            }
        }
        return out;
    }

    private static void requireSameShape(FloatImage a, FloatImage b) {
        if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
            throw new IllegalArgumentException("images differ in shape: " + a + " vs " + b);
        }
    }
}
