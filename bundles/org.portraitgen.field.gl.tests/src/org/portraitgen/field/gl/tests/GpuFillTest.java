package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GpuFill;

/**
 * The compute-kernel clear and fill: exactly the asked range changes, over more work groups than one dispatch has
 * (the threads stride), and a range beyond the buffer is refused.
 */
class GpuFillTest {
    @Test
    void fillsExactlyTheRangeAsked() {
        GlContext gl = SharedContext.get();
        int n = 256 * 65_535 + 1_000; // more uints than threads in the one dispatch
        int[] out = gl.call(() -> {
            try (GlBuffer b = new GlBuffer("fill test")) {
                int[] start = new int[n];
                java.util.Arrays.fill(start, 7);
                b.upload(start);
                GpuFill.fill(gl.shaders(), b, 3, n - 5, -2);
                GpuFill.fill(gl.shaders(), b, 10, 0, 9);
                return b.readInts(0, n);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(i < 3 || i >= n - 2 ? 7 : -2, out[i], "at " + i);
        }
        int[] zeroed = gl.call(() -> {
            try (GlBuffer b = new GlBuffer("zero test")) {
                b.upload(new int[] {1, 2, 3, 4, 5});
                GpuFill.zero(gl.shaders(), b, 10); // 2.5 uints round up to 3
                assertThrows(IllegalArgumentException.class, () -> GpuFill.fill(gl.shaders(), b, 2, 4, 0));
                return b.readInts(0, 5);
            }
        });
        assertArrayEquals(new int[] {0, 0, 0, 4, 5}, zeroed);
    }
    @Test
    void copiesExactlyTheRangeAsked() {
        GlContext gl = SharedContext.get();
        int n = 256 * 65_535 + 1_000;
        int[][] out = gl.call(() -> {
            try (GlBuffer from = new GlBuffer("copy test source"); GlBuffer to = new GlBuffer("copy test target")) {
                int[] src = new int[n];
                for (int i = 0; i < n; i++) {
                    src[i] = i * 3 + 1;
                }
                from.upload(src);
                int[] dst = new int[n];
                java.util.Arrays.fill(dst, -7);
                to.upload(dst);
                GpuFill.copy(gl.shaders(), from, 8, to, 4, 4L * (n - 5));
                assertThrows(IllegalArgumentException.class, () -> GpuFill.copy(gl.shaders(), from, 8, to, 8,
                        4L * n));
                assertThrows(IllegalArgumentException.class, () -> GpuFill.copy(gl.shaders(), from, 2, to, 0, 4));
                return new int[][] {src, to.readInts(0, n)};
            }
        });
        for (int i = 0; i < n; i++) {
            int expected = i >= 1 && i < n - 4 ? out[0][i + 1] : -7;
            assertEquals(expected, out[1][i], "at " + i);
        }
    }
}
