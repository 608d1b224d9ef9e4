package org.portraitgen.edit.internal;

import org.portraitgen.api.image.FloatImage;

/** Sampling, blurring and blending of float images, as the crop, mask and warp steps need them. */
final class Planes {
    private Planes() {
    }

    /** Bilinear sample of channel {@code c} at (x, y) in pixel coordinates, edges clamped. */
    static float sample(FloatImage img, int c, double x, double y) {
        int w = img.width(), h = img.height();
        x = Math.max(0, Math.min(w - 1, x));
        y = Math.max(0, Math.min(h - 1, y));
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        int x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
        double fx = x - x0, fy = y - y0;
        float[] d = img.data();
        int base = c * w * h;
        double top = d[base + y0 * w + x0] * (1 - fx) + d[base + y0 * w + x1] * fx;
        double bottom = d[base + y1 * w + x0] * (1 - fx) + d[base + y1 * w + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /** Bilinear resize (for the editor's working resolution); the identity when the size already matches. */
    static FloatImage resize(FloatImage in, int w, int h) {
        if (in.width() == w && in.height() == h) {
            return in;
        }
        FloatImage out = new FloatImage(w, h, in.channels());
        double sx = (double) in.width() / w, sy = (double) in.height() / h;
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out.set(c, x, y, sample(in, c, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5));
                }
            }
        }
        return out;
    }

    /** In-place separable Gaussian blur of a w x h plane. */
    static void blur(float[] plane, int w, int h, double sigma) {
        if (sigma <= 0) {
            return;
        }
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[plane.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * plane[y * w + Math.max(0, Math.min(w - 1, x + i))];
                }
                tmp[y * w + x] = (float) s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * tmp[Math.max(0, Math.min(h - 1, y + i)) * w + x];
                }
                plane[y * w + x] = (float) s;
            }
        }
    }

    /** base * (1 - mask) + over * mask, per pixel, for RGB images and a one-channel mask of the same size. */
    static FloatImage blend(FloatImage base, FloatImage over, FloatImage mask) {
        FloatImage out = new FloatImage(base.width(), base.height(), base.channels());
        int plane = base.planeSize();
        for (int c = 0; c < base.channels(); c++) {
            for (int i = 0; i < plane; i++) {
                float m = mask.data()[i];
                out.data()[c * plane + i] = base.data()[c * plane + i] * (1 - m) + over.data()[c * plane + i] * m;
            }
        }
        return out;
    }
}
