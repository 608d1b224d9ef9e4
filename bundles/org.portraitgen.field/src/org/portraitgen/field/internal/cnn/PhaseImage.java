package org.portraitgen.field.internal.cnn;

import java.util.Arrays;

/**
 * An image laid out for {@link WinogradConv} with output tiles of m x m pixels: for each channel and each image row,
 * m "phase rows", phase p holding the pixels x = m·k + p for k = 0 .. tilesX − 1. Consecutive tiles are then
 * consecutive floats in every phase row, so tile transforms run as contiguous (vectorisable) loops, and a layer's
 * output transform writes the next layer's input directly. Rows and phase rows carry one zero on each side (the
 * convolution's zero padding): layout [tilesY·m + 2][C][m][tilesX + 2], tile k at index k + 1; rows outermost, so
 * a band of tile rows reads and writes one contiguous stretch for all its channels. Pixels beyond the image (x ≥ W
 * or y ≥ H, when W or H is not a multiple of m) are kept zero too.
 */
public final class PhaseImage {
    private final int channels;
    private final int height;
    private final int width;
    private final int m;
    private final float[] data;
    // derived sizes, kept as fields: index() runs in the transforms' inner loops
    private final int tilesX;
    private final int tilesY;
    private final int rowStride;
    private final int paddedRows;

    public PhaseImage(int channels, int height, int width, int m, float[] data) {
        if (data.length != size(channels, height, width, m)) {
            throw new IllegalArgumentException("phase image of " + channels + "x" + height + "x" + width + " in tiles of "
                    + m + " needs " + size(channels, height, width, m) + " floats, got " + data.length);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.m = m;
        this.data = data;
        tilesX = (width + m - 1) / m;
        tilesY = (height + m - 1) / m;
        rowStride = tilesX + 2;
        paddedRows = tilesY * m + 2;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The output tile size the layout is made for. */
    public int m() {
        return m;
    }

    /** The image's floats (shared, not copied). */
    public float[] data() {
        return data;
    }

    static int size(int channels, int height, int width, int m) {
        return channels * ((height + m - 1) / m * m + 2) * m * ((width + m - 1) / m + 2);
    }

    public static PhaseImage zeros(int channels, int height, int width, int m) {
        return new PhaseImage(channels, height, width, m, new float[size(channels, height, width, m)]);
    }

    public int tilesX() {
        return tilesX;
    }

    public int tilesY() {
        return tilesY;
    }

    /** Floats per phase row. */
    public int rowStride() {
        return rowStride;
    }

    /** Padded image rows per channel. */
    public int paddedRows() {
        return paddedRows;
    }

    /** Start of the phase row p of padded row yy (image row yy − 1) of channel c; tile k is at + k + 1. */
    public int index(int c, int yy, int p) {
        return ((yy * channels + c) * m + p) * rowStride;
    }

    public static PhaseImage fromPlanar(float[] planar, int channels, int h, int w, int m) {
        if (planar.length != channels * h * w) {
            throw new IllegalArgumentException("planar image has " + planar.length + " floats, expected " + channels
                    + "x" + h + "x" + w);
        }
        PhaseImage img = zeros(channels, h, w, m);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int src = (c * h + y) * w;
                for (int p = 0; p < m && p < w; p++) {
                    int dst = img.index(c, y + 1, p) + 1;
                    for (int x = p, k = 0; x < w; x += m, k++) {
                        img.data[dst + k] = planar[src + x];
                    }
                }
            }
        }
        return img;
    }

    public float[] toPlanar() {
        float[] planar = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int dst = (c * height + y) * width;
                for (int p = 0; p < m && p < width; p++) {
                    int src = index(c, y + 1, p) + 1;
                    for (int x = p, k = 0; x < width; x += m, k++) {
                        planar[dst + x] = data[src + k];
                    }
                }
            }
        }
        return planar;
    }

    /** Zeroes the pixels beyond the image that a layer's last tiles wrote, so the next layer sees zero padding. */
    void clearOutside() {
        int tx = tilesX();
        int lastTile = tx; // index of tile tx - 1 in a phase row
        int firstPhaseOutside = width - m * (tx - 1);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < tilesY() * m; y++) {
                if (y >= height) {
                    Arrays.fill(data, index(c, y + 1, 0), index(c, y + 1, 0) + m * rowStride, 0f);
                    continue;
                }
                for (int p = firstPhaseOutside; p < m; p++) {
                    data[index(c, y + 1, p) + lastTile] = 0f;
                }
            }
        }
    }
}
