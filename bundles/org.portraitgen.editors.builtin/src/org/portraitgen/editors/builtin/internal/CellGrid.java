package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/**
 * An image reduced to square cells of {@code cell} pixels, each the mean colour of its block. Pixel art and Lego
 * both build on it; partial cells at the right and bottom edges average what they cover, so any size works.
 */
final class CellGrid {

    final int cell;
    final int cols;
    final int rows;
    /** [rows * cols][3] mean RGB per cell. */
    final float[][] colours;

    CellGrid(FloatImage image, int cell) {
        this.cell = Math.max(1, cell);
        int w = image.width();
        int h = image.height();
        cols = (w + this.cell - 1) / this.cell;
        rows = (h + this.cell - 1) / this.cell;
        colours = new float[rows * cols][3];
        int[] counts = new int[rows * cols];
        int plane = w * h;
        float[] d = image.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int k = (y / this.cell) * cols + x / this.cell;
                counts[k]++;
                for (int c = 0; c < 3; c++) {
                    colours[k][c] += d[c * plane + y * w + x];
                }
            }
        }
        for (int k = 0; k < counts.length; k++) {
            for (int c = 0; c < 3; c++) {
                colours[k][c] /= counts[k];
            }
        }
    }

    int index(int x, int y) {
        return (y / cell) * cols + x / cell;
    }
}
