package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GlHostInts;
import org.portraitgen.field.gl.internal.GpuFill;

/**
 * Ints copied on the GPU into mapped host memory (llvmpipe has GL 4.5 buffer storage, so the mapped path runs
 * here): each read gives what the copies before the last fence wrote, including a kernel's writes just before and
 * a second round into the same memory; a word outside the buffer and a read without a fence are refused.
 */
class GlHostIntsTest {
    @Test
    void readsWhatTheCopiesBeforeTheFenceWrote() {
        GlContext gl = SharedContext.get();
        gl.call(() -> {
            try (GlBuffer source = new GlBuffer("host ints test source");
                    GlHostInts ints = new GlHostInts("host ints test", 2)) {
                assertTrue(ints.mapped(), "GL 4.5 on llvmpipe: buffer storage");
                source.upload(new int[] {11, -22, 33});
                ints.copyFrom(source, 2, 0);
                ints.copyFrom(source, 1, 1);
                ints.fence();
                assertArrayEquals(new int[] {33, -22}, ints.read());
                GpuFill.fill(gl.shaders(), source, 0, 3, 123_456_789); // a kernel's writes, then the copies
                ints.copyFrom(source, 0, 1);
                ints.fence();
                assertArrayEquals(new int[] {33, 123_456_789}, ints.read());
                assertThrows(IllegalStateException.class, ints::read, "each read needs its fence");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ints.copyFrom(source, 0, 2));
                assertTrue(e.getMessage().contains("host ints test holds 2 ints"), e.getMessage());
            }
            return null;
        });
    }
}
