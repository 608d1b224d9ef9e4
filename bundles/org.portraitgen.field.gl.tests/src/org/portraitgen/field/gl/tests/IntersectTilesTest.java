package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.bench.Parity;
import org.portraitgen.field.gl.internal.bench.Scenes;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.gl.internal.raster.ProjectedGaussian;
import org.portraitgen.field.internal.raster.Gaussians;

/**
 * intersectTiles against a plain-Java reference built from the GPU's own projection (so that this tests the binning
 * and sorting, not float rounding of the projection): every tile's list must be exactly its Gaussians by
 * (depth, index), and the tile ranges must partition the list.
 */
class IntersectTilesTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 255, 257, 4_001})
    void tileListsAreEachTilesGaussiansFrontToBack(int n) {
        Gaussians g = Scenes.random(n, 2, 300 + n);
        Camera cam = Scenes.turnedCamera(83, 50);
        GlContext gl = SharedContext.get();
        int[][] out = gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(Parity.params(g));
                r.forward(cam);
                return new int[][] {r.readProjected(), r.readIntersectionIds(), r.readTileRanges()};
            }
        });
        assertExactTileLists(n, cam, out);
    }

    /**
     * One rasterizer through frames of few, many, then few pairs again: the pair buffers are sized from earlier
     * frames without reading the count first, so the second frame overflows them and must be grown and intersected
     * again before forward returns (no pair dropped), and the third runs in buffers larger than it needs. Each
     * frame's lists must be exact, and its render must equal a fresh rasterizer's.
     */
    @org.junit.jupiter.api.Test
    void framesWithMorePairsThanTheBuffersHoldAreIntersectedAgain() {
        Camera cam = Scenes.turnedCamera(83, 50);
        GlContext gl = SharedContext.get();
        int[] sizes = {300, 4_001, 700};
        try (GlRasterizer r = gl.call(() -> new GlRasterizer(gl))) {
            int capacityBefore = 0;
            int grown = 0;
            for (int n : sizes) {
                Gaussians g = Scenes.random(n, 2, 300 + n);
                Object[] out = gl.call(() -> {
                    r.upload(Parity.params(g));
                    r.forward(cam);
                    float[] features = r.readForward().features();
                    try (GlRasterizer fresh = new GlRasterizer(gl)) {
                        fresh.upload(Parity.params(g));
                        fresh.forward(cam);
                        return new Object[] {new int[][] {r.readProjected(), r.readIntersectionIds(),
                                r.readTileRanges()}, r.pairCapacity(), features, fresh.readForward().features()};
                    }
                });
                int[][] lists = (int[][]) out[0];
                int capacity = (Integer) out[1];
                assertExactTileLists(n, cam, lists);
                assertTrue(capacity >= lists[1].length, "capacity " + capacity + " holds " + lists[1].length);
                System.out.println(n + " Gaussians: " + lists[1].length + " pairs, capacity " + capacity);
                if (lists[1].length > capacityBefore) {
                    assertTrue(capacity > capacityBefore, "grown past the " + lists[1].length + " pairs");
                    grown++;
                } else {
                    assertEquals(capacityBefore, capacity, "buffers kept");
                }
                assertArrayEquals((float[]) out[3], (float[]) out[2], "frame of " + n + " Gaussians");
                capacityBefore = capacity;
            }
            assertEquals(2, grown, "the first frame and the second overflow the buffers");
            gl.call(() -> {
                r.close();
                return null;
            });
        }
    }

    /**
     * queueForward leaves the pair count on the GPU: a frame with more pairs than the buffers hold renders with
     * empty tiles, pairsFitSinceLastCheck says so once (and grows the buffers), and the frame rendered again is
     * exact. Frames that fit report true.
     */
    @org.junit.jupiter.api.Test
    void queuedFramesReportOverflowOnceAndFitAfterGrowing() {
        Camera cam = Scenes.turnedCamera(83, 50);
        GlContext gl = SharedContext.get();
        Gaussians few = Scenes.random(300, 2, 600);
        Gaussians many = Scenes.random(4_001, 2, 4_301);
        gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(Parity.params(few));
                r.queueForward(cam); // the first frame waits for its count: nothing known yet
                assertTrue(r.pairsFitSinceLastCheck(), "first frame");
                r.queueForward(cam);
                assertTrue(r.pairsFitSinceLastCheck(), "same frame again");
                int capacity = r.pairCapacity();
                r.upload(Parity.params(many));
                r.queueForward(cam);
                float[] overflowed = r.readForward().features();
                assertThrows(org.portraitgen.field.gl.GlException.class, r::intersections);
                r.upload(Parity.params(few));
                r.queueForward(cam); // a later frame that fits does not hide the earlier overflow
                assertFalse(r.pairsFitSinceLastCheck(), "the frame of 4,001 Gaussians did not fit");
                assertTrue(r.pairCapacity() > capacity, "grown");
                float maxAbs = 0;
                for (float v : overflowed) {
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
                assertEquals(0f, maxAbs, "an overflowed frame renders nothing, not a part");
                r.upload(Parity.params(many));
                r.queueForward(cam);
                assertTrue(r.pairsFitSinceLastCheck(), "after growing");
                assertExactTileLists(4_001, cam, new int[][] {r.readProjected(), r.readIntersectionIds(),
                        r.readTileRanges()});
                float[] queued = r.readForward().features();
                r.forward(cam);
                assertArrayEquals(r.readForward().features(), queued);
            }
            return null;
        });
    }

    private static void assertExactTileLists(int n, Camera cam, int[][] out) {
        int[] proj = out[0];
        int[] ids = out[1];
        int[] ranges = out[2];
        int tilesX = (cam.width() + 15) / 16;
        int tiles = tilesX * ((cam.height() + 15) / 16);
        List<List<Integer>> expected = new ArrayList<>();
        for (int t = 0; t < tiles; t++) {
            expected.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            int o = i * ProjectedGaussian.WORDS;
            if (proj[o + ProjectedGaussian.TILE_COUNT] == 0) {
                continue;
            }
            int r = o + ProjectedGaussian.TILE_RECT;
            for (int ty = proj[r + 1]; ty <= proj[r + 3]; ty++) {
                for (int tx = proj[r]; tx <= proj[r + 2]; tx++) {
                    expected.get(ty * tilesX + tx).add(i);
                }
            }
        }
        int total = 0;
        for (int t = 0; t < tiles; t++) {
            List<Integer> list = expected.get(t);
            list.sort(Comparator.<Integer>comparingDouble(
                    i -> Float.intBitsToFloat(proj[i * ProjectedGaussian.WORDS + ProjectedGaussian.DEPTH]))
                    .thenComparingInt(i -> i));
            int start = ranges[2 * t];
            int end = ranges[2 * t + 1];
            assertEquals(list.size(), end - start, "tile " + t + " size");
            for (int k = 0; k < list.size(); k++) {
                assertEquals(list.get(k), ids[start + k], "tile " + t + " position " + k);
            }
            total += list.size();
        }
        assertEquals(total, ids.length);
    }
}
