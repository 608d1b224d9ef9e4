package org.portraitgen.field.gl.internal;

import static org.lwjgl.opengl.GL32C.*;

import org.portraitgen.field.gl.GlException;

/** The host's wait for a GL fence. On the GL thread. */
public final class GlFences {
    private static final long TIMEOUT_NANOS = 60_000_000_000L;

    private GlFences() {
    }

    /**
     * Waits for {@code fence}, flushing it first. It spins for up to {@code spinNanos} and then sleeps between
     * polls: the work behind a fence waited for mid-render is short, and a wait that wakes up late leaves the GPU
     * idle until the host queues more. {@code what} names what the fence guards ("the tile pair count of 12
     * Gaussians") in the errors: no result within 60 s, or a failed wait.
     */
    public static void await(long fence, long spinNanos, String what) {
        long start = System.nanoTime();
        int r = glClientWaitSync(fence, GL_SYNC_FLUSH_COMMANDS_BIT, 0);
        while (r == GL_TIMEOUT_EXPIRED && System.nanoTime() - start < spinNanos) {
            Thread.onSpinWait();
            r = glClientWaitSync(fence, 0, 0);
        }
        while (r == GL_TIMEOUT_EXPIRED) {
            if (System.nanoTime() - start > TIMEOUT_NANOS) {
                throw new GlException("the GPU did not deliver " + what + " within 60 s");
            }
            r = glClientWaitSync(fence, 0, 100_000_000L);
        }
        if (r == GL_WAIT_FAILED) {
            GlBuffer.checkError("waiting for " + what);
            throw new GlException("waiting for " + what + " failed (glClientWaitSync)");
        }
    }
}
