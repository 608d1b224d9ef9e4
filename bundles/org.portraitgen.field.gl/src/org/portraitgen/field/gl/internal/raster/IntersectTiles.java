package org.portraitgen.field.gl.internal.raster;

import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GpuFill;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.sort.PrefixSum;
import org.portraitgen.field.gl.internal.sort.RadixSort;

/**
 * intersectTiles (shaders/intersect/*.comp): sorts the Gaussians by depth once (N keys, 8 passes of 4 bits), emits
 * their (tile, Gaussian) pairs in that order, then stable-sorts the pairs by tile only (log2(tiles) bits). Two
 * short sorts instead of one over 64-bit (tile, depth) keys: the long list is sorted over ~13 bits, not 45.
 * Depth digits that no visible Gaussian varies in (the exponent, for a field within one octave of depth) are copied
 * through, not sorted. Nothing is read back in between: the pair buffers have a capacity kept from earlier frames,
 * the kernels read the number of pairs on the GPU, and {@link GlRasterizer} checks it against the capacity after
 * the whole forward is queued (growing the buffers and emitting again when it did not fit).
 */
final class IntersectTiles {
    static final int WORKGROUP_SIZE = 256;

    private IntersectTiles() {
    }

    private static int program(ShaderLibrary shaders, String name) {
        return shaders.program("intersect/" + name, Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE));
    }

    /**
     * The depth sort and each Gaussian's first pair slot: afterwards offsets[count] holds the number of pairs, on
     * the GPU.
     */
    static void countPairs(ShaderLibrary shaders, RadixSort sort, PrefixSum scan, int count, GlBuffer projected,
            GlBuffer depthKeys, GlBuffer depthOrder, GlBuffer depthKeyBits, GlBuffer offsets) {
        sort.sortVaryingDigits(depthKeys, depthOrder, count, depthKeyBits);
        int gather = program(shaders, "gather_tile_counts.comp");
        offsets.ensure(4L * (count + 1));
        projected.bind(0);
        depthOrder.bind(1);
        offsets.bind(2);
        Dispatch.uniform(gather, 0, count);
        Dispatch.run(gather, Dispatch.groups(count + 1L, WORKGROUP_SIZE), 1);
        scan.exclusiveScan(offsets, count + 1);
    }

    /**
     * The pairs, sorted by tile, and tileRanges (each tile's [start, end)), for up to {@code capacity} pairs (the
     * size of tileKeys and isectIds): a frame with more pairs emits none, and its tiles are empty. The frame's
     * number of pairs is also raised into pairsNeeded[0] (a maximum over frames until the host resets it).
     */
    static void emitPairs(ShaderLibrary shaders, RadixSort sort, int count, int tilesX, int tilesY, int capacity,
            GlBuffer projected, GlBuffer depthOrder, GlBuffer offsets, GlBuffer tileKeys, GlBuffer isectIds,
            GlBuffer tileRanges, GlBuffer pairsNeeded) {
        int tiles = tilesX * tilesY;
        GpuFill.zero(shaders, tileRanges, 8L * tiles);
        int emit = program(shaders, "emit_intersections.comp");
        projected.bind(0);
        depthOrder.bind(1);
        offsets.bind(2);
        tileKeys.bind(3);
        isectIds.bind(4);
        pairsNeeded.bind(5);
        Dispatch.uniform(emit, 0, count);
        Dispatch.uniform(emit, 1, tilesX);
        Dispatch.uniform(emit, 2, capacity);
        Dispatch.run(emit, Dispatch.groups(count, WORKGROUP_SIZE), 1);
        if (capacity == 0) {
            return;
        }
        int tileBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, tiles - 1));
        sort.sortCounted(tileKeys, isectIds, capacity, offsets, count, tileBits);
        int ranges = program(shaders, "tile_ranges.comp");
        tileKeys.bind(0);
        tileRanges.bind(1);
        offsets.bind(2);
        Dispatch.uniform(ranges, 0, capacity);
        Dispatch.uniform(ranges, 1, count);
        Dispatch.run(ranges, Dispatch.groups(capacity, WORKGROUP_SIZE), 1);
    }
}
