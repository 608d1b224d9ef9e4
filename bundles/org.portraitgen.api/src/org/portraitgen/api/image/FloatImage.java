package org.portraitgen.api.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image as planes of floats: {@code data[(c * height + y) * width + x]}, linear values nominally in [0, 1].
 * Planar layout keeps per-channel loops contiguous, which is what the field and the editors iterate over.
 *
 * @param channels 1 (mask, grey), 3 (RGB) or more (feature images)
 */
public record FloatImage(int width, int height, int channels, float[] data) {

    public FloatImage {
        Objects.requireNonNull(data, "data");
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height + "x"
                    + channels);
        }
        if ((long) width * height * channels != data.length) {
            throw new IllegalArgumentException("image data has " + data.length + " floats, expected " + width + "x"
                    + height + "x" + channels);
        }
    }

    public FloatImage(int width, int height, int channels) {
        this(width, height, channels, new float[Math.multiplyExact(Math.multiplyExact(width, height), channels)]);
    }

    public float get(int c, int x, int y) {
        return data[(c * height + y) * width + x];
    }

    public void set(int c, int x, int y, float v) {
        data[(c * height + y) * width + x] = v;
    }

    public int planeSize() {
        return width * height;
    }

    public FloatImage copy() {
        return new FloatImage(width, height, channels, data.clone());
    }

    public boolean sameSize(FloatImage other) {
        return width == other.width && height == other.height;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatImage f && f.width == width && f.height == height && f.channels == channels
                && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, channels, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "FloatImage[" + width + "x" + height + "x" + channels + "]";
    }
}
