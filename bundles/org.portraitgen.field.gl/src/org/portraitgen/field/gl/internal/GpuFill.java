package org.portraitgen.field.gl.internal;

import java.util.Map;

/**
 * Clears, fills and copies of storage buffers by compute kernels (shaders/fill.comp, copy.comp) instead of
 * glClearBufferSubData and glCopyBufferSubData, which the H100's driver ran at about 31 GB/s (a [34, 512, 512] float
 * clear took 1.14 ms of a training frame); the kernels load and store at memory bandwidth. Ordered like any
 * dispatch (a barrier follows it). On the GL thread.
 */
public final class GpuFill {
    private static final int WORKGROUP_SIZE = 256;
    /** Work groups per dispatch at most; each thread strides over the rest. */
    private static final int MAX_GROUPS = 65_535;

    private GpuFill() {
    }

    /** Makes room for {@code bytes} in {@code buffer} (as {@link GlBuffer#ensure}) and sets them to zero. */
    public static void zero(ShaderLibrary shaders, GlBuffer buffer, long bytes) {
        buffer.ensure(bytes);
        fill(shaders, buffer, 0, (bytes + 3) / 4, 0);
    }

    /**
     * Copies {@code bytes} (a multiple of 4) from byte {@code fromOffset} of {@code from} to byte {@code toOffset} of
     * {@code to} (offsets multiples of 4; the buffers distinct).
     */
    public static void copy(ShaderLibrary shaders, GlBuffer from, long fromOffset, GlBuffer to, long toOffset,
            long bytes) {
        if (bytes % 4 != 0 || fromOffset % 4 != 0 || toOffset % 4 != 0) {
            throw new IllegalArgumentException("copy of " + bytes + " bytes from " + fromOffset + " to " + toOffset
                    + ": not whole uints");
        }
        if (fromOffset + bytes > from.capacity() || toOffset + bytes > to.capacity()) {
            throw new IllegalArgumentException("copy of " + bytes + " bytes from byte " + fromOffset + " of buffer "
                    + from.id() + " (" + from.capacity() + " bytes) to byte " + toOffset + " of buffer " + to.id()
                    + " (" + to.capacity() + " bytes): beyond a buffer");
        }
        if (from.id() == to.id()) {
            throw new IllegalArgumentException("copy within buffer " + from.id());
        }
        long words = bytes / 4;
        if (words == 0) {
            return;
        }
        int program = shaders.program("copy.comp", Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE));
        from.bind(0);
        to.bind(1);
        Dispatch.uniform(program, 0, Math.toIntExact(fromOffset / 4));
        Dispatch.uniform(program, 1, Math.toIntExact(toOffset / 4));
        Dispatch.uniform(program, 2, Math.toIntExact(words));
        Dispatch.run(program, (int) Math.min(MAX_GROUPS, Dispatch.groups(words, WORKGROUP_SIZE)), 1);
    }

    /** Sets {@code words} uints of {@code buffer} from uint {@code first} on to {@code value}. */
    public static void fill(ShaderLibrary shaders, GlBuffer buffer, long first, long words, int value) {
        if (first + words > buffer.capacity() / 4) {
            throw new IllegalArgumentException("fill of uints [" + first + ", " + (first + words) + ") beyond the "
                    + buffer.capacity() + " bytes of buffer " + buffer.id());
        }
        if (words == 0) {
            return;
        }
        int program = shaders.program("fill.comp", Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE));
        buffer.bind(0);
        Dispatch.uniform(program, 0, Math.toIntExact(first));
        Dispatch.uniform(program, 1, Math.toIntExact(words));
        Dispatch.uniform(program, 2, value);
        Dispatch.run(program, (int) Math.min(MAX_GROUPS, Dispatch.groups(words, WORKGROUP_SIZE)), 1);
    }
}
