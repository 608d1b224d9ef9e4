package org.portraitgen.field.gl.internal.sort;

import static org.lwjgl.opengl.GL43C.*;

import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;

/**
 * Stable least-significant-digit radix sort of uint keys carrying uint values, on the GPU
 * (shaders/sort/radix_count.comp, radix_scatter.comp, with {@link PrefixSum} between them). Digits are 4 bits:
 * the stable in-block ranking keeps a [16 x work group] count table in shared memory (16 KiB), which fits the
 * 32 KiB that llvmpipe and every GL 4.3 device give; 8-bit digits would need 256 KiB. Only the low
 * {@code keyBits} bits are sorted, so a tile index of 13 bits costs 4 passes, not 8. Variants leave the key count
 * or the digits to sort on the GPU ({@link #sortCounted}, {@link #sortVaryingDigits}), so that a frame's sorts need
 * no read-back.
 */
public final class RadixSort implements AutoCloseable {
    public static final int WORKGROUP_SIZE = 256;
    public static final int ITEMS = 8;
    public static final int BLOCK = WORKGROUP_SIZE * ITEMS;
    public static final int RADIX_BITS = 4;

    private final ShaderLibrary shaders;
    private final PrefixSum prefixSum;
    private final GlBuffer histogram = new GlBuffer("radix histogram");
    private final GlBuffer keysSpare = new GlBuffer("radix keys (ping-pong)");
    private final GlBuffer valuesSpare = new GlBuffer("radix values (ping-pong)");

    public RadixSort(ShaderLibrary shaders, PrefixSum prefixSum) {
        this.shaders = shaders;
        this.prefixSum = prefixSum;
    }

    private int program(String name, boolean countInBuffer, boolean skipConstantDigits) {
        return shaders.program("sort/" + name, Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE, "ITEMS", ITEMS, "RADIX_BITS",
                RADIX_BITS, "COUNT_IN_BUFFER", countInBuffer ? 1 : 0, "SKIP_CONSTANT_DIGITS",
                skipConstantDigits ? 1 : 0));
    }

    /** Sorts keys[0..count) by their low {@code keyBits} bits, moving values along; the result is in place. */
    public void sort(GlBuffer keys, GlBuffer values, int count, int keyBits) {
        sortDigits(keys, values, count, keyBits >= 32 ? -1 : (1 << keyBits) - 1);
    }

    /**
     * Sorts by the key bits set in {@code varyingBits}, skipping every digit in which no key differs: LSD radix
     * sort stays correct when a pass over a digit that is equal in all keys is left out.
     */
    public void sortDigits(GlBuffer keys, GlBuffer values, int count, int varyingBits) {
        if (count <= 1 || varyingBits == 0) {
            return;
        }
        passes(keys, values, count, varyingBits, null, 0, null);
    }

    /**
     * Sorts all 32 key bits, where {@code keyBits} holds the OR and the AND (two uints) of the keys that matter,
     * written on the GPU: a digit in which they agree is copied through instead of sorted, as {@link #sortDigits}
     * leaves it out, without the host reading the bits back (which would leave the GPU idle until it submits again).
     */
    public void sortVaryingDigits(GlBuffer keys, GlBuffer values, int count, GlBuffer keyBits) {
        if (count <= 1) {
            return;
        }
        passes(keys, values, count, -1, null, 0, keyBits);
    }

    /**
     * Sorts keys[0..n) by their low {@code keyBits} bits, where n = {@code counts[countIndex]} is written on the GPU
     * and not read back: the passes are dispatched for {@code capacity} keys and n over {@code capacity} sorts
     * nothing (the caller checks n afterwards).
     */
    public void sortCounted(GlBuffer keys, GlBuffer values, int capacity, GlBuffer counts, int countIndex,
            int keyBits) {
        if (capacity <= 1) {
            return;
        }
        passes(keys, values, capacity, keyBits >= 32 ? -1 : (1 << keyBits) - 1, counts, countIndex, null);
    }

    private void passes(GlBuffer keys, GlBuffer values, int count, int varyingBits, GlBuffer counts, int countIndex,
            GlBuffer keyBits) {
        int blocks = Dispatch.groups(count, BLOCK);
        int cells = blocks << RADIX_BITS;
        histogram.ensure(4L * cells);
        keysSpare.ensure(4L * count);
        valuesSpare.ensure(4L * count);
        int countProgram = program("radix_count.comp", counts != null, keyBits != null);
        int scatterProgram = program("radix_scatter.comp", counts != null, keyBits != null);
        GlBuffer kIn = keys;
        GlBuffer vIn = values;
        GlBuffer kOut = keysSpare;
        GlBuffer vOut = valuesSpare;
        for (int shift = 0; shift < 32; shift += RADIX_BITS) {
            if (((varyingBits >>> shift) & ((1 << RADIX_BITS) - 1)) == 0) {
                continue;
            }
            if (counts != null) {
                counts.bind(5);
            }
            if (keyBits != null) {
                keyBits.bind(6);
            }
            kIn.bind(0);
            histogram.bind(1);
            Dispatch.uniform(countProgram, 0, count);
            Dispatch.uniform(countProgram, 1, shift);
            Dispatch.uniform(countProgram, 2, blocks);
            if (counts != null) {
                Dispatch.uniform(countProgram, 3, countIndex);
            }
            Dispatch.run(countProgram, blocks, 1);
            prefixSum.exclusiveScan(histogram, cells);
            kIn.bind(0);
            vIn.bind(1);
            kOut.bind(2);
            vOut.bind(3);
            histogram.bind(4);
            Dispatch.uniform(scatterProgram, 0, count);
            Dispatch.uniform(scatterProgram, 1, shift);
            Dispatch.uniform(scatterProgram, 2, blocks);
            if (counts != null) {
                Dispatch.uniform(scatterProgram, 3, countIndex);
            }
            Dispatch.run(scatterProgram, blocks, 1);
            GlBuffer k = kIn;
            kIn = kOut;
            kOut = k;
            GlBuffer v = vIn;
            vIn = vOut;
            vOut = v;
        }
        if (kIn != keys) {
            // an odd number of passes leaves the result in the spare buffers: copy it home
            copy(kIn, keys, 4L * count);
            copy(vIn, values, 4L * count);
        }
    }

    private static void copy(GlBuffer from, GlBuffer to, long bytes) {
        glBindBuffer(GL_COPY_READ_BUFFER, from.id());
        glBindBuffer(GL_COPY_WRITE_BUFFER, to.id());
        glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0, bytes);
        glMemoryBarrier(GL_ALL_BARRIER_BITS);
    }

    @Override
    public void close() {
        histogram.close();
        keysSpare.close();
        valuesSpare.close();
    }
}
