package org.portraitgen.editors.onnx.internal.diffusion;

import org.portraitgen.api.image.FloatImage;

/** Images ([0, 1], planar) to model tensors and back, and the bilinear resizing the pipelines work at. */
public final class ImageTensors {

    private ImageTensors() {
    }

    /** [1, C, H, W] with values mapped a·v + b (a = 2, b = −1 for the VAE's [−1, 1]). */
    public static Tensor toTensor(FloatImage image, float a, float b) {
        float[] d = image.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = a * d[i] + b;
        }
        return new Tensor(d, 1, image.channels(), image.height(), image.width());
    }

    /** Item 0 of [N, C, H, W] as an image, values mapped a·v + b and clamped to [0, 1]. */
    public static FloatImage toImage(Tensor t, float a, float b) {
        int c = (int) t.dim(1);
        int h = (int) t.dim(2);
        int w = (int) t.dim(3);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.min(1f, Math.max(0f, a * t.data()[i] + b));
        }
        return new FloatImage(w, h, c, d);
    }

    /** Bilinear resampling with pixel centres aligned (OpenCV's INTER_LINEAR convention). */
    public static FloatImage resize(FloatImage src, int width, int height) {
        if (src.width() == width && src.height() == height) {
            return src;
        }
        FloatImage dst = new FloatImage(width, height, src.channels());
        double sx = (double) src.width() / width;
        double sy = (double) src.height() / height;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, Math.min(src.height() - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, src.height() - 1);
            float wy = (float) (fy - y0);
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, Math.min(src.width() - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, src.width() - 1);
                float wx = (float) (fx - x0);
                for (int c = 0; c < src.channels(); c++) {
                    float top = src.get(c, x0, y0) * (1 - wx) + src.get(c, x1, y0) * wx;
                    float bottom = src.get(c, x0, y1) * (1 - wx) + src.get(c, x1, y1) * wx;
                    dst.set(c, x, y, top * (1 - wy) + bottom * wy);
                }
            }
        }
        return dst;
    }

    /** The working size: the long side {@code longSide}, both sides multiples of 8 (the VAE's factor). */
    public static int[] workingSize(int width, int height, int longSide) {
        double s = (double) longSide / Math.max(width, height);
        return new int[] {Math.max(8, (int) Math.round(width * s / 8) * 8),
                Math.max(8, (int) Math.round(height * s / 8) * 8)};
    }

    /** Per pixel mask · over + (1 − mask) · under for the 3 colour channels; mask 1 channel in [0, 1]. */
    public static FloatImage blend(FloatImage under, FloatImage over, FloatImage mask) {
        FloatImage out = under.copy();
        int plane = under.planeSize();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float a = Math.min(1, Math.max(0, mask.data()[i]));
                out.data()[c * plane + i] = a * over.data()[c * plane + i] + (1 - a) * under.data()[c * plane + i];
            }
        }
        return out;
    }
}
