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

    /**
     * The read-back-free variants: digits to skip decided on the GPU from an (OR, AND) buffer, and the key count
     * taken from a GPU buffer with a larger capacity dispatched, or a smaller one (nothing is sorted: the caller grows and sorts again).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2049, 50_001})
    void sortsWithBitsAndCountLeftOnTheGpu(int n) {
        GlContext gl = SharedContext.get();
        Random rnd = new Random(n + 7);
        int capacity = n + 3000;
        int[] keys = new int[capacity];
        int[] values = new int[capacity];
        int any = 0;
        int all = -1;
        for (int i = 0; i < capacity; i++) {
            keys[i] = i < n ? Float.floatToIntBits(2.6f + rnd.nextInt(5000) * 1e-4f) : rnd.nextInt(1 << 13);
            values[i] = i;
            if (i < n) {
                any |= keys[i];
                all &= keys[i];
            }
        }
        int[] bits = {any, all};
        int[][] sorted = gl.call(() -> {
            try (GlBuffer k = new GlBuffer("keys"); GlBuffer v = new GlBuffer("values");
                    GlBuffer keyBits = new GlBuffer("key bits"); GlBuffer count = new GlBuffer("count");
                    PrefixSum scan = new PrefixSum(gl.shaders());
                    RadixSort sort = new RadixSort(gl.shaders(), scan)) {
                k.upload(java.util.Arrays.copyOf(keys, n));
                v.upload(java.util.Arrays.copyOf(values, n));
                keyBits.upload(bits);
                sort.sortVaryingDigits(k, v, n, keyBits);
                int[] byBits = v.readInts(0, n);
                int[] masked = new int[capacity];
                for (int i = 0; i < capacity; i++) {
                    masked[i] = keys[i] & 0x1FFF;
                }
                k.upload(masked);
                v.upload(values);
                count.upload(new int[] {0, n});
                sort.sortCounted(k, v, capacity, count, 1, 13);
                int[] counted = v.readInts(0, capacity);
                k.upload(masked);
                v.upload(values);
                sort.sortCounted(k, v, n - 1, count, 1, 13); // room for fewer than the count: untouched
                return new int[][] {byBits, counted, v.readInts(0, capacity)};
            }
        });
        Integer[] order = new Integer[n];
        Integer[] maskedOrder = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            maskedOrder[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> keys[i]));
        Arrays.sort(maskedOrder, Comparator.comparingInt(i -> keys[i] & 0x1FFF));
        for (int i = 0; i < n; i++) {
            assertEquals(order[i], sorted[0][i], "by GPU bits: value at " + i + " of " + n);
            assertEquals(maskedOrder[i], sorted[1][i], "counted: value at " + i + " of " + n);
        }
        assertArrayEquals(values, sorted[2], "over capacity: nothing sorted");
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
