package org.portraitgen.field.gl.internal;

import static org.lwjgl.opengl.GL44C.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

import org.lwjgl.opengl.GL;
import org.portraitgen.field.gl.GlException;

/**
 * A few ints that GPU copies land in, for the host to read without a GL read-back command: {@link #copyFrom} queues
 * a copy of one int into a persistently mapped, coherent host buffer (GL 4.4 buffer storage), {@link #fence} marks
 * the copies, and {@link #read} waits for that fence and reads the mapped memory. A glGetBufferSubData issued after
 * a Vulkan submit waited behind the Vulkan work on the H100 (the service render's posing-status read: 1.4 ms of the
 * GL thread per render, BENCHMARKS.md), while a fence that GL's own work has already passed costs nothing. Without
 * buffer storage the ints are read with glGetBufferSubData. On the GL thread.
 */
public final class GlHostInts implements AutoCloseable {
    /** How long {@link #read} spins on the fence before it sleeps between polls. */
    private static final long SPIN_NANOS = 20_000_000L;

    private final String name;
    private final int words;
    /** The mapped buffer's name, or 0 where the ints live in {@link #fallback} (no buffer storage). */
    private int mappedId;
    private IntBuffer mapped;
    private final GlBuffer fallback;
    private long fence;

    public GlHostInts(String name, int words) {
        if (words < 1) {
            throw new IllegalArgumentException(name + ": " + words + " ints asked, at least 1 needed");
        }
        GlBuffer.requireContext("creating " + name);
        this.name = name;
        this.words = words;
        if (GL.getCapabilities().glBufferStorage != 0L) {
            long bytes = 4L * words;
            mappedId = glGenBuffers();
            glBindBuffer(GL_COPY_WRITE_BUFFER, mappedId);
            int flags = GL_MAP_READ_BIT | GL_MAP_PERSISTENT_BIT | GL_MAP_COHERENT_BIT;
            glBufferStorage(GL_COPY_WRITE_BUFFER, bytes, flags | GL_CLIENT_STORAGE_BIT);
            ByteBuffer m = glMapBufferRange(GL_COPY_WRITE_BUFFER, 0, bytes, flags);
            glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
            if (m == null) {
                glDeleteBuffers(mappedId);
                mappedId = 0;
                GlBuffer.checkError("mapping " + name);
                throw new GlException("mapping " + name + " into host memory failed (glMapBufferRange)");
            }
            mapped = m.order(ByteOrder.nativeOrder()).asIntBuffer();
            GlBuffer.checkError("creating " + name + " in mapped host memory");
            fallback = null;
        } else {
            fallback = new GlBuffer(name);
            fallback.ensure(4L * words);
        }
    }

    /** Whether the ints are read from mapped memory (else through glGetBufferSubData). */
    public boolean mapped() {
        return mappedId != 0;
    }

    /**
     * Queues a copy of int {@code fromWord} of {@code source} (written by kernels dispatched before) into int
     * {@code word} here.
     */
    public void copyFrom(GlBuffer source, long fromWord, int word) {
        if (word < 0 || word >= words) {
            throw new IllegalArgumentException(name + " holds " + words + " ints; no int " + word);
        }
        glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
        glBindBuffer(GL_COPY_READ_BUFFER, source.id());
        glBindBuffer(GL_COPY_WRITE_BUFFER, mappedId != 0 ? mappedId : fallback.id());
        glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 4L * fromWord, 4L * word, 4);
        glBindBuffer(GL_COPY_READ_BUFFER, 0);
        glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
    }

    /** Marks the copies queued so far (and flushes them to the GPU): {@link #read} waits for them. */
    public void fence() {
        deleteFence();
        fence = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
        glFlush();
    }

    /** The ints as the copies before the last {@link #fence} left them, waiting for the GPU to have made them. */
    public int[] read() {
        if (mappedId == 0) {
            deleteFence();
            return fallback.readInts(0, words);
        }
        if (fence == 0) {
            throw new IllegalStateException(name + ": read() without a fence() after the copies");
        }
        awaitFence();
        int[] out = new int[words];
        mapped.get(0, out);
        return out;
    }

    private void awaitFence() {
        GlFences.await(fence, SPIN_NANOS, name);
        deleteFence();
    }

    private void deleteFence() {
        if (fence != 0) {
            glDeleteSync(fence);
            fence = 0;
        }
    }

    @Override
    public void close() {
        deleteFence();
        if (mappedId != 0) {
            GlBuffer.requireContext("deleting " + name);
            glBindBuffer(GL_COPY_WRITE_BUFFER, mappedId);
            glUnmapBuffer(GL_COPY_WRITE_BUFFER);
            glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
            glDeleteBuffers(mappedId);
            mappedId = 0;
            mapped = null;
        }
        if (fallback != null) {
            fallback.close();
        }
    }
}
