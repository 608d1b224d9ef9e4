package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/** Small whole-plane operations the pure-Java editors share. */
final class Planes {

    private Planes() {
    }

    /** Rec. 709 luma of an RGB image, one plane of {@code w * h}. */
    static float[] luma(FloatImage rgb) {
        int plane = rgb.planeSize();
        float[] d = rgb.data();
        float[] y = new float[plane];
        for (int i = 0; i < plane; i++) {
            y[i] = 0.2126f * d[i] + 0.7152f * d[plane + i] + 0.0722f * d[2 * plane + i];
        }
        return y;
    }

    /** Separable Gaussian blur of each channel with edge clamping; sigma below 0.3 returns a copy. */
    static FloatImage blur(FloatImage image, double sigma) {
        FloatImage out = image.copy();
        if (sigma < 0.3) {
            return out;
        }
        int w = image.width();
        int h = image.height();
        for (int c = 0; c < image.channels(); c++) {
            blurPlane(out.data(), c * w * h, w, h, sigma);
        }
        return out;
    }

    /** Blurs one plane in place: {@code data[offset + y * w + x]}. */
    static void blurPlane(float[] data, int offset, int w, int h, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        float[] line = new float[Math.max(w, h)];
        for (int y = 0; y < h; y++) {
            int row = offset + y * w;
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * data[row + clamp(x + k, w)];
                }
                line[x] = acc;
            }
            System.arraycopy(line, 0, data, row, w);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * data[offset + clamp(y + k, h) * w + x];
                }
                line[y] = acc;
            }
            for (int y = 0; y < h; y++) {
                data[offset + y * w + x] = line[y];
            }
        }
    }

    static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }

    /** A plane of {@code w * h} scaled to another size by bilinear sampling (pixel centres aligned). */
    static FloatImage resize(FloatImage image, int w2, int h2) {
        FloatImage out = new FloatImage(w2, h2, image.channels());
        int w = image.width();
        int h = image.height();
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < h2; y++) {
                float sy = Math.max(0, Math.min(h - 1, (y + 0.5f) * h / h2 - 0.5f));
                int y0 = (int) sy;
                int y1 = Math.min(h - 1, y0 + 1);
                float fy = sy - y0;
                for (int x = 0; x < w2; x++) {
                    float sx = Math.max(0, Math.min(w - 1, (x + 0.5f) * w / w2 - 0.5f));
                    int x0 = (int) sx;
                    int x1 = Math.min(w - 1, x0 + 1);
                    float fx = sx - x0;
                    float top = image.get(c, x0, y0) * (1 - fx) + image.get(c, x1, y0) * fx;
                    float bottom = image.get(c, x0, y1) * (1 - fx) + image.get(c, x1, y1) * fx;
                    out.set(c, x, y, top * (1 - fy) + bottom * fy);
                }
            }
        }
        return out;
    }
}
