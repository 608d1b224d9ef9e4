package org.portraitgen.field.gl.internal;

import static org.lwjgl.opengl.GL43C.*;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

import org.lwjgl.opengl.GL;
import org.lwjgl.system.MemoryUtil;
import org.portraitgen.field.gl.GlException;

/**
 * A shader storage buffer that grows on demand (never shrinks), so per-frame sizes do not reallocate each frame.
 * The GL name is created on first use, on the GL thread: constructing one anywhere is safe, and a GL call from a
 * thread without a current context fails with a {@link GlException} here instead of LWJGL aborting the JVM.
 */
public final class GlBuffer implements AutoCloseable {
    /** GL 4.5 / KHR_robustness's error after a driver reset (not in GL43C). */
    private static final int GL_CONTEXT_LOST = 0x0507;

    private final String name;
    private int id;
    private long capacity;
    /** For a buffer over memory owned elsewhere (imported): it cannot grow, and closing also runs this. */
    private final Runnable release;

    public GlBuffer(String name) {
        this.name = name;
        this.release = null;
    }

    private GlBuffer(String name, int id, long capacity, Runnable release) {
        this.name = name;
        this.id = id;
        this.capacity = capacity;
        this.release = release;
    }

    /**
     * A buffer over storage that cannot be reallocated here (e.g. Vulkan memory imported through
     * GL_EXT_memory_object): {@link #ensure} beyond {@code capacity} is an error, {@link #close} deletes the GL
     * name and then runs {@code release}.
     */
    public static GlBuffer fixed(String name, int id, long capacity, Runnable release) {
        return new GlBuffer(name, id, capacity, release);
    }

    public int id() {
        if (id == 0) {
            requireContext("creating buffer " + name);
            id = glGenBuffers();
        }
        return id;
    }

    /** LWJGL aborts the JVM on a GL call without a current context; this throws instead. */
    public static void requireContext(String what) {
        try {
            GL.getCapabilities();
        } catch (IllegalStateException e) {
            throw new GlException("no GL context is current on thread " + Thread.currentThread().getName()
                    + " while " + what + " (GL work must run inside GlContext.call)", e);
        }
    }

    public long capacity() {
        return capacity;
    }

    /** Makes room for at least {@code bytes} (contents are lost when it grows). */
    public GlBuffer ensure(long bytes) {
        long want = Math.max(16, bytes);
        if (want > capacity && release != null) {
            throw new GlException("buffer " + name + " holds " + capacity + " bytes and cannot grow to " + want);
        }
        if (want > capacity) {
            requireContext("allocating buffer " + name);
            long limit = glGetInteger64(GL_MAX_SHADER_STORAGE_BLOCK_SIZE);
            if (want > limit) {
                // the kernels bind whole buffers: beyond this size their reads would be undefined, not an error
                throw new GlException("buffer " + name + " would need " + want / (1024 * 1024) + " MiB, above this "
                        + "GPU's storage block limit of " + limit / (1024 * 1024)
                        + " MiB (GL_MAX_SHADER_STORAGE_BLOCK_SIZE): the image or field is too large for the GPU path");
            }
            glBindBuffer(GL_SHADER_STORAGE_BUFFER, id());
            glBufferData(GL_SHADER_STORAGE_BUFFER, want, GL_DYNAMIC_COPY);
            checkError("allocating " + want + " bytes for " + name);
            capacity = want;
        }
        return this;
    }

    public void upload(float[] data) {
        ensure(4L * data.length);
        FloatBuffer b = MemoryUtil.memAllocFloat(Math.max(1, data.length));
        try {
            b.put(data).flip();
            glBindBuffer(GL_SHADER_STORAGE_BUFFER, id());
            glBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, b);
        } finally {
            MemoryUtil.memFree(b);
        }
    }

    public void upload(int[] data) {
        ensure(4L * data.length);
        IntBuffer b = MemoryUtil.memAllocInt(Math.max(1, data.length));
        try {
            b.put(data).flip();
            glBindBuffer(GL_SHADER_STORAGE_BUFFER, id());
            glBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, b);
        } finally {
            MemoryUtil.memFree(b);
        }
    }

    public void upload(ByteBuffer data) {
        ensure(data.remaining());
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, id());
        glBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, data);
    }

    public void zero(long bytes) {
        ensure(bytes);
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, id());
        glClearBufferSubData(GL_SHADER_STORAGE_BUFFER, GL_R32UI, 0, (bytes + 3) & ~3L, GL_RED_INTEGER,
                GL_UNSIGNED_INT, (IntBuffer) null);
    }

    public float[] readFloats(int count) {
        return readFloats(0, count);
    }

    public float[] readFloats(long offsetFloats, int count) {
        float[] out = new float[count];
        if (count == 0) {
            return out;
        }
        glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
        int from = readableCopy(4 * offsetFloats, 4L * count);
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, from);
        glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, from == id ? 4 * offsetFloats : 0, out);
        releaseCopy(from);
        return out;
    }

    public int[] readInts(long offsetInts, int count) {
        int[] out = new int[count];
        if (count == 0) {
            return out;
        }
        glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
        int from = readableCopy(4 * offsetInts, 4L * count);
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, from);
        glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, from == id ? 4 * offsetInts : 0, out);
        releaseCopy(from);
        return out;
    }

    /**
     * The buffer the host reads {@code bytes} at {@code offset} from: this one, or for imported memory a GPU copy
     * of the range. On the H100 the driver served glGetBufferSubData of Vulkan memory from a stale copy after the
     * first read (Vulkan's later writes did not show: rel. L2 3.6e-3 .. 7.8e-3 on the next forwards, SharedReadCheck),
     * while a copy on the GPU reads the memory itself.
     */
    private int readableCopy(long offset, long bytes) {
        int own = id();
        if (release == null) {
            return own;
        }
        int copy = glGenBuffers();
        glBindBuffer(GL_COPY_WRITE_BUFFER, copy);
        glBufferData(GL_COPY_WRITE_BUFFER, bytes, GL_STREAM_READ);
        glBindBuffer(GL_COPY_READ_BUFFER, own);
        glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, offset, 0, bytes);
        glBindBuffer(GL_COPY_READ_BUFFER, 0);
        glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
        return copy;
    }

    private void releaseCopy(int buffer) {
        if (buffer != id) {
            glDeleteBuffers(buffer);
        }
    }

    /** Exchanges the GL buffers behind {@code a} and {@code b} (ping-pong passes without copies). */
    public static void swap(GlBuffer a, GlBuffer b) {
        if (a.release != null || b.release != null) {
            throw new IllegalArgumentException("buffers over imported memory cannot be swapped");
        }
        int id = a.id;
        long capacity = a.capacity;
        a.id = b.id;
        a.capacity = b.capacity;
        b.id = id;
        b.capacity = capacity;
    }

    public void bind(int binding) {
        glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, id());
    }

    /** GL reports out-of-memory and bad calls only through glGetError: turn them into exceptions here. */
    public static void checkError(String what) {
        int e = glGetError();
        if (e == GL_OUT_OF_MEMORY) {
            throw new GlException("GPU out of memory while " + what);
        }
        if (e == GL_CONTEXT_LOST) {
            throw new GlException("the GPU context was lost (driver reset) while " + what);
        }
        if (e != GL_NO_ERROR) {
            throw new GlException("GL error 0x" + Integer.toHexString(e) + " while " + what);
        }
    }

    @Override
    public void close() {
        if (id != 0) {
            requireContext("deleting buffer " + name);
            glDeleteBuffers(id);
            id = 0;
            capacity = 0;
            if (release != null) {
                release.run();
            }
        }
    }
}
