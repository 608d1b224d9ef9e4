package org.portraitgen.field.internal.raster;

import java.util.Arrays;

import org.portraitgen.field.internal.Workers;

/**
 * intersectTiles: every (tile, Gaussian) pair, grouped by tile and sorted front to back. Ties in depth are broken by
 * Gaussian index, so the order, and with it the render, is deterministic.
 */
final class TileBins {
    final int tileSize;
    final int tilesX;
    final int tilesY;
    /** [tiles + 1] start of each tile's run in {@link #gaussianIds}. */
    final int[] offsets;
    /** Gaussian indices, per tile by increasing depth. */
    final int[] gaussianIds;

    private TileBins(int tileSize, int tilesX, int tilesY, int[] offsets, int[] gaussianIds) {
        this.tileSize = tileSize;
        this.tilesX = tilesX;
        this.tilesY = tilesY;
        this.offsets = offsets;
        this.gaussianIds = gaussianIds;
    }

    static TileBins intersectTiles(Projection p, int width, int height, int tileSize, Workers workers) {
        int tilesX = (width + tileSize - 1) / tileSize;
        int tilesY = (height + tileSize - 1) / tileSize;
        int tiles = tilesX * tilesY;
        int[] offsets = new int[tiles + 1];
        int[] rects = p.tileRects;
        for (int i = 0; i < p.count; i++) {
            for (int ty = rects[4 * i + 1]; ty <= rects[4 * i + 3]; ty++) {
                for (int tx = rects[4 * i]; tx <= rects[4 * i + 2]; tx++) {
                    offsets[ty * tilesX + tx + 1]++;
                }
            }
        }
        for (int t = 0; t < tiles; t++) {
            offsets[t + 1] += offsets[t];
        }
        int[] fill = Arrays.copyOf(offsets, tiles);
        // key: depth as float bits (positive floats order like ints) above the Gaussian index
        long[] keys = new long[offsets[tiles]];
        for (int i = 0; i < p.count; i++) {
            long key = ((long) Float.floatToIntBits((float) p.depths[i]) << 32) | i;
            for (int ty = rects[4 * i + 1]; ty <= rects[4 * i + 3]; ty++) {
                for (int tx = rects[4 * i]; tx <= rects[4 * i + 2]; tx++) {
                    keys[fill[ty * tilesX + tx]++] = key;
                }
            }
        }
        int[] ids = new int[keys.length];
        workers.forEach(tiles, t -> {
            Arrays.sort(keys, offsets[t], offsets[t + 1]);
            for (int k = offsets[t]; k < offsets[t + 1]; k++) {
                ids[k] = (int) keys[k];
            }
        });
        return new TileBins(tileSize, tilesX, tilesY, offsets, ids);
    }
}
