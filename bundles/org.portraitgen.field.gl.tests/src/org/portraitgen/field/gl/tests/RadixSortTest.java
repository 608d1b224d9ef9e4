package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.sort.PrefixSum;
import org.portraitgen.field.gl.internal.sort.RadixSort;

/**
 * The GPU radix sort against a stable CPU argsort with many duplicate keys (stability is what keeps the tile lists
 * in depth order), and the prefix sum against a running sum. Sizes: 1, one work-group block (2048 = 256 threads x 8
 * items) and +-1 around it, and a larger odd size spanning many blocks and two scan levels. Exact equality: these
 * are integer algorithms. The prefix sum's block is 8192 (1024 threads x 8): its sizes are chosen around that.
 */
class RadixSortTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 2047, 2048, 2049, 8 * 2048 + 123, 300_007})
    void sortsLikeAStableArgsortWithDuplicateKeys(int n) {
        GlContext gl = SharedContext.get();
        for (int bits : new int[] {5, 13, 32}) {
            Random rnd = new Random(n * 31L + bits);
            int[] keys = new int[n];
            int[] values = new int[n];
            for (int i = 0; i < n; i++) {
                // few distinct keys: long runs of duplicates whose relative order must survive
                keys[i] = bits == 32 ? rnd.nextInt(1000) * 4_000_037 : rnd.nextInt(Math.min(1 << bits, 40));
                values[i] = i;
            }
            int[][] sorted = gl.call(() -> {
                try (GlBuffer k = new GlBuffer("keys"); GlBuffer v = new GlBuffer("values");
                        PrefixSum scan = new PrefixSum(gl.shaders());
                        RadixSort sort = new RadixSort(gl.shaders(), scan)) {
                    k.upload(keys);
                    v.upload(values);
                    sort.sort(k, v, n, bits);
                    return new int[][] {k.readInts(0, n), v.readInts(0, n)};
                }
            });
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> Integer.toUnsignedLong(keys[i]))); // stable
            for (int i = 0; i < n; i++) {
                assertEquals(order[i], sorted[1][i], "value at " + i + " of " + n + " (" + bits + " bits)");
                assertEquals(keys[order[i]], sorted[0][i], "key at " + i);
            }
        }
    }

    /** Depth keys of one octave share their top bits: the passes over those digits are skipped, order is exact. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2047, 2049, 50_001})
    void skippingDigitsThatNoKeyVariesInStillSorts(int n) {
        GlContext gl = SharedContext.get();
        Random rnd = new Random(n);
        int[] keys = new int[n];
        int[] values = new int[n];
        int any = 0;
        int all = -1;
        for (int i = 0; i < n; i++) {
            keys[i] = Float.floatToIntBits(2.6f + rnd.nextInt(5000) * 1e-4f); // many equal depths
            values[i] = i;
            any |= keys[i];
            all &= keys[i];
        }
        int varying = any ^ all;
        int[] sorted = gl.call(() -> {
            try (GlBuffer k = new GlBuffer("keys"); GlBuffer v = new GlBuffer("values");
                    PrefixSum scan = new PrefixSum(gl.shaders());
                    RadixSort sort = new RadixSort(gl.shaders(), scan)) {
                k.upload(keys);
                v.upload(values);
                sort.sortDigits(k, v, n, varying);
                return v.readInts(0, n);
            }
        });
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> keys[i]));
        for (int i = 0; i < n; i++) {
            assertEquals(order[i], sorted[i], "value at " + i + " of " + n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8191, 8192, 8193, 2048 * 2048 + 5})
    void prefixSumIsExclusiveRunningSum(int n) {
        GlContext gl = SharedContext.get();
        Random rnd = new Random(n);
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = rnd.nextInt(7);
        }
        int[] scanned = gl.call(() -> {
            try (GlBuffer b = new GlBuffer("values"); PrefixSum scan = new PrefixSum(gl.shaders())) {
                b.upload(values);
                scan.exclusiveScan(b, n);
                return b.readInts(0, n);
            }
        });
        int sum = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(sum, scanned[i], "at " + i);
            sum += values[i];
        }
    }
}
