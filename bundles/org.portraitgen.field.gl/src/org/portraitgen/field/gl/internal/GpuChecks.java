package org.portraitgen.field.gl.internal;

import java.util.Map;

/**
 * Checks of one int on the GPU that set a bit in a flags word (shaders/train/flag_check.comp): a training step
 * gathers every reason not to apply its update there, so the update can be queued behind the checks and skip
 * itself, and the host reads the flags once, after both. On the GL thread.
 */
public final class GpuChecks {
    private GpuChecks() {
    }

    /** Sets {@code bit} of {@code flags}[0] when int {@code index} of {@code values}, unsigned, is above {@code limit}. */
    public static void flagIfAbove(ShaderLibrary shaders, GlBuffer values, int index, int limit, GlBuffer flags,
            int bit) {
        check(shaders, values, index, limit, flags, bit, 0);
    }

    /** Sets {@code bit} of {@code flags}[0] when int {@code index} of {@code values} is not {@code expected}. */
    public static void flagUnlessEqual(ShaderLibrary shaders, GlBuffer values, int index, int expected,
            GlBuffer flags, int bit) {
        check(shaders, values, index, expected, flags, bit, 1);
    }

    private static void check(ShaderLibrary shaders, GlBuffer values, int index, int operand, GlBuffer flags, int bit,
            int mode) {
        if (bit < 0 || bit > 31) {
            throw new IllegalArgumentException("flag bit " + bit + " is not in 0..31");
        }
        int program = shaders.program("train/flag_check.comp", Map.of());
        values.bind(0);
        flags.bind(1);
        Dispatch.uniform(program, 0, index);
        Dispatch.uniform(program, 1, operand);
        Dispatch.uniform(program, 2, bit);
        Dispatch.uniform(program, 3, mode);
        Dispatch.run(program, 1, 1);
    }
}
