package org.portraitgen.field.gl.internal.raster;

import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.sort.PrefixSum;
import org.portraitgen.field.gl.internal.sort.RadixSort;

/**
 * intersectTiles (shaders/intersect/*.comp): sorts the Gaussians by depth once (N keys, 8 passes of 4 bits), emits
 * their (tile, Gaussian) pairs in that order, then stable-sorts the pairs by tile only (log2(tiles) bits). Two
 * short sorts instead of one over 64-bit (tile, depth) keys: the long list is sorted over ~13 bits, not 45.
 * Depth digits that no visible Gaussian varies in (the exponent, for a field within one octave of depth) are not
 * sorted. Two small host read-backs: those key bits, and the number of pairs, needed to size the pair buffers.
 */
final class IntersectTiles {
    static final int WORKGROUP_SIZE = 256;

    private IntersectTiles() {
    }

    private static int program(ShaderLibrary shaders, String name) {
        return shaders.program("intersect/" + name, Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE));
    }

    /** Returns the number of (tile, Gaussian) pairs; tileRanges holds each tile's [start, end). */
    static int run(ShaderLibrary shaders, RadixSort sort, PrefixSum scan, int count, int tilesX, int tilesY,
            GlBuffer projected, GlBuffer depthKeys, GlBuffer depthOrder, GlBuffer depthKeyBits, GlBuffer offsets, GlBuffer tileKeys,
            GlBuffer isectIds, GlBuffer tileRanges) {
        int[] bits = depthKeyBits.readInts(0, 2);
        sort.sortDigits(depthKeys, depthOrder, count, bits[0] ^ bits[1]);
        int gather = program(shaders, "gather_tile_counts.comp");
        offsets.ensure(4L * (count + 1));
        projected.bind(0);
        depthOrder.bind(1);
        offsets.bind(2);
        Dispatch.uniform(gather, 0, count);
        Dispatch.run(gather, Dispatch.groups(count + 1L, WORKGROUP_SIZE), 1);
        scan.exclusiveScan(offsets, count + 1);
        int pairs = offsets.readInts(count, 1)[0];
        int tiles = tilesX * tilesY;
        tileRanges.zero(8L * tiles);
        if (pairs == 0) {
            return 0;
        }
        tileKeys.ensure(4L * pairs);
        isectIds.ensure(4L * pairs);
        GlBuffer.checkError("allocating " + pairs + " tile intersections");
        int emit = program(shaders, "emit_intersections.comp");
        projected.bind(0);
        depthOrder.bind(1);
        offsets.bind(2);
        tileKeys.bind(3);
        isectIds.bind(4);
        Dispatch.uniform(emit, 0, count);
        Dispatch.uniform(emit, 1, tilesX);
        Dispatch.run(emit, Dispatch.groups(count, WORKGROUP_SIZE), 1);
        int tileBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, tiles - 1));
        sort.sort(tileKeys, isectIds, pairs, tileBits);
        int ranges = program(shaders, "tile_ranges.comp");
        tileKeys.bind(0);
        tileRanges.bind(1);
        Dispatch.uniform(ranges, 0, pairs);
        Dispatch.run(ranges, Dispatch.groups(pairs, WORKGROUP_SIZE), 1);
        return pairs;
    }
}
