package org.portraitgen.tracking.dlib.internal;

import org.portraitgen.api.image.FloatImage;

/**
 * An 8-bit grey image, made from an RGB frame the way dlib turns an {@code rgb_pixel} into an {@code unsigned char}
 * ({@code (r + g + b) / 3}, integer division, on 8-bit channels), so that the Java predictor on a frame and dlib on
 * the same frame as an RGB image see the same pixels.
 */
public record GrayImage(int width, int height, byte[] pixels) {

    public GrayImage {
        if (width <= 0 || height <= 0 || pixels.length != width * height) {
            throw new IllegalArgumentException("grey image " + width + "x" + height + " with " + pixels.length
                    + " pixels");
        }
    }

    /** The 8-bit RGB bytes (r,g,b per pixel, row-major) of an RGB frame in [0, 1]. */
    public static byte[] rgbBytes(FloatImage rgb) {
        if (rgb.channels() < 3) {
            throw new IllegalArgumentException("an RGB frame was expected, got " + rgb.channels() + " channel(s)");
        }
        int n = rgb.planeSize();
        float[] d = rgb.data();
        byte[] out = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                out[3 * i + c] = (byte) Math.round(Math.max(0f, Math.min(1f, d[c * n + i])) * 255f);
            }
        }
        return out;
    }

    public static GrayImage of(FloatImage rgb) {
        byte[] bytes = rgbBytes(rgb);
        byte[] grey = new byte[rgb.planeSize()];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) (((bytes[3 * i] & 0xFF) + (bytes[3 * i + 1] & 0xFF) + (bytes[3 * i + 2] & 0xFF)) / 3);
        }
        return new GrayImage(rgb.width(), rgb.height(), grey);
    }

    boolean contains(long x, long y) {
        return x >= 0 && y >= 0 && x < width && y < height;
    }

    /** The intensity as dlib's feature value: the byte as an unsigned number. */
    float get(int x, int y) {
        return pixels[y * width + x] & 0xFF;
    }
}
