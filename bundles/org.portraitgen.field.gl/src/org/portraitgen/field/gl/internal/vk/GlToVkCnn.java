package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.opengl.GL11C.glFinish;
import static org.lwjgl.opengl.GL11C.glFlush;
import static org.lwjgl.opengl.GL15C.glBindBuffer;
import static org.lwjgl.opengl.GL15C.glDeleteBuffers;
import static org.lwjgl.opengl.GL15C.glGenBuffers;
import static org.lwjgl.opengl.GL31C.GL_COPY_WRITE_BUFFER;
import static org.lwjgl.opengl.GL43C.GL_SHADER_STORAGE_BARRIER_BIT;
import static org.lwjgl.opengl.GL42C.glMemoryBarrier;
import static org.lwjgl.system.MemoryUtil.NULL;
import static org.lwjgl.system.MemoryUtil.memAddress;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.lwjgl.opengl.EXTMemoryObject;
import org.lwjgl.opengl.EXTMemoryObjectFD;
import org.lwjgl.opengl.EXTSemaphore;
import org.lwjgl.opengl.EXTSemaphoreFD;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.MemoryStack;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GpuFill;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The Vulkan CNN fed straight from a GL buffer: the CNN's input buffer is Vulkan memory exported as a file descriptor
 * and imported into the GL context (GL_EXT_memory_object_fd), so the feature image crosses as one GPU-side buffer
 * copy instead of a read-back to the host and an upload. GL orders its copy before the Vulkan CNN with a semaphore
 * that Vulkan exports and GL imports (GL_EXT_semaphore_fd + VK_KHR_external_semaphore_fd): GL signals it after the
 * copy, the Vulkan submit waits for it on the GPU, and no thread waits for GL. Where the semaphore cannot be shared
 * the GL thread waits (glFinish) before the submit. Both APIs must drive the same device (the device UUIDs are
 * compared).
 *
 * <p>One render at a time: {@link #enqueue} on the GL thread submits both halves and returns; {@link #await} (any
 * thread) waits for the RGB. The GPU service keeps several of these to have several renders in flight.
 */
public final class GlToVkCnn implements AutoCloseable {
    /**
     * How GL's writes are ordered before the Vulkan CNN: {@code finish} (default) or {@code semaphore}. On the H100
     * (driver 580) glFinish gave the shorter render (3.5 vs 3.9-4.2 ms median at 512²) and more renders per second
     * (382 vs 348 with 4 threads), when the GL thread read the posing status back after the submit anyway, so that
     * the semaphore saved no wait there, and the cross-API wait cost more than the glFinish. Since then the service
     * reads the status and the pair count through mapped memory after a fence placed before the copy: with the
     * semaphore that still waits for GL's own posing and rasterizing, not for the CNN.
     */
    public static final String SYNC_PROPERTY = "portraitgen.gpu.cnn.sync";
    private final GlContext gl;
    private final VkCompute vk;
    private final VkCnn cnn;
    private final int channels;
    private final long fence;
    private int glBuffer;
    /** glBuffer as a GlBuffer, for the compute copy. */
    private GlBuffer glView;
    private int glMemory;
    private int h = -1;
    private int w = -1;
    /** "Features written" semaphore: Vulkan's handle and GL's import; 0 where glFinish orders the two APIs. */
    private long vkSemaphore;
    private int glSemaphore;
    /** Why the semaphore is not shared (glFinish orders GL before Vulkan), or null. */
    private String semaphoreProblem;
    /** Host time of the last {@link #await}: waiting for the fence, copying the RGB out (ns). */
    private long lastWaitNs;
    private long lastCopyNs;
    /** Size of the submit whose fence {@link #await} has not waited for yet; h < 0: none. */
    private int pendingH = -1;
    private int pendingW = -1;

    private GlToVkCnn(GlContext gl, VkCompute vk, VkCnn cnn, int channels) {
        this.gl = gl;
        this.vk = vk;
        this.cnn = cnn;
        this.channels = channels;
        this.fence = vk.newFence();
    }

    /**
     * @throws GlException (a {@link VkException} for the Vulkan side) naming what is missing: the GL or Vulkan
     *         extension, or the same device behind both
     */
    /**
     * Why GL cannot use this Vulkan device's memory (a missing extension, another device behind each API), or null
     * if it can (a driver pair may still refuse the import itself). On the GL thread.
     */
    static String sharingProblem(GlContext gl, VkCompute vk) {
        if (!vk.capabilities().externalMemoryFd()) {
            return "Vulkan device " + vk.capabilities().deviceName() + " has no VK_KHR_external_memory_fd";
        }
        if (!GL.getCapabilities().GL_EXT_memory_object_fd) {
            return "GL context has no GL_EXT_memory_object_fd";
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            ByteBuffer uuid = stack.calloc(EXTMemoryObject.GL_UUID_SIZE_EXT);
            EXTMemoryObject.glGetUnsignedBytei_vEXT(EXTMemoryObject.GL_DEVICE_UUID_EXT, 0, uuid);
            GlBuffer.checkError("glGetUnsignedBytei_vEXT(GL_DEVICE_UUID_EXT)");
            byte[] glUuid = new byte[16];
            uuid.get(glUuid);
            if (!Arrays.equals(glUuid, vk.deviceUuid())) {
                return "GL and Vulkan drive different devices (" + gl.capabilities().renderer() + " vs "
                        + vk.capabilities().deviceName() + ")";
            }
        }
        return null;
    }

    public static GlToVkCnn open(GlContext gl, VkCompute vk, int channels, VkCnn.Precision precision,
            VkCnn.Tiling tiling) {
        semaphoreRequested(); // a bad value fails here, before any GL work
        String problem = gl.call(() -> sharingProblem(gl, vk));
        if (problem != null) {
            throw new GlException(problem + ": features cannot be shared");
        }
        GlToVkCnn shared = new GlToVkCnn(gl, vk, new VkCnn(vk, channels, precision, tiling, true), channels);
        try {
            // a driver pair may list the extensions and still refuse the import (llvmpipe + lavapipe 22.3 do): try
            gl.call(() -> {
                shared.importFor(1, 1);
                shared.importSemaphore();
                return null;
            });
        } catch (GlException e) {
            shared.close();
            throw new GlException("GL could not import the Vulkan CNN's buffer (" + e.getMessage()
                    + "): features cannot be shared", e);
        }
        try {
            // one 1x1 forward through both APIs, so that a driver that imports but cannot run it fails here
            shared.prepare(NeuralRenderer.initialised(channels, 1));
            gl.call(() -> {
                try (GlBuffer probe = new GlBuffer("probe features for the Vulkan CNN")) {
                    probe.zero(4L * channels);
                    shared.enqueue(probe, 1, 1);
                }
                return null;
            });
            shared.await();
        } catch (GlException e) {
            shared.close();
            throw new GlException("the Vulkan CNN fed from GL failed its first run (" + e.getMessage()
                    + "): features cannot be shared", e);
        }
        return shared;
    }

    /** Whether {@link #SYNC_PROPERTY} asks for a semaphore; a value that is neither choice names the property. */
    static boolean semaphoreRequested() {
        String sync = System.getProperty(SYNC_PROPERTY, "finish").trim();
        return switch (sync) {
            case "finish" -> false;
            case "semaphore" -> true;
            default -> throw new IllegalArgumentException("-D" + SYNC_PROPERTY + "=" + sync
                    + ": expected finish or semaphore");
        };
    }

    /** On the GL thread: shares the semaphore, or records why glFinish orders the two APIs instead. */
    private void importSemaphore() {
        if (!semaphoreRequested()) {
            semaphoreProblem = "the default; -D" + SYNC_PROPERTY + "=semaphore shares a semaphore";
            return;
        }
        GLCapabilities caps = GL.getCapabilities();
        if (!caps.GL_EXT_semaphore || !caps.GL_EXT_semaphore_fd) {
            semaphoreProblem = "GL context has no GL_EXT_semaphore_fd";
            return;
        }
        if (!vk.externalSemaphoreFd()) {
            semaphoreProblem = "Vulkan device has no VK_KHR_external_semaphore_fd";
            return;
        }
        try {
            vkSemaphore = vk.newExportedSemaphore();
            int fd = vk.exportSemaphoreFd(vkSemaphore);
            glSemaphore = EXTSemaphore.glGenSemaphoresEXT();
            EXTSemaphoreFD.glImportSemaphoreFdEXT(glSemaphore, EXTSemaphoreFD.GL_HANDLE_TYPE_OPAQUE_FD_EXT, fd);
            GlBuffer.checkError("importing the Vulkan CNN's semaphore into GL");
        } catch (GlException e) { // VkException included
            releaseSemaphore();
            semaphoreProblem = e.getMessage();
        }
    }

    /** How GL's writes are ordered before the Vulkan CNN: a shared semaphore, or glFinish and why. */
    public synchronized String ordering() {
        return semaphoreProblem == null ? "semaphore shared with GL (GL_EXT_semaphore_fd)"
                : "glFinish (" + semaphoreProblem + ")";
    }

    /** Packs the renderer's weights for the next {@link #enqueue} (any thread; a no-op when they are unchanged). */
    public void prepare(NeuralRenderer net) {
        cnn.uploadParameters(net);
    }

    /**
     * On the GL thread, after the commands that write {@code features}: copies its first C x H x W floats (planar,
     * as the GL rasterizer writes them) into the buffer shared with Vulkan and submits the CNN behind it, with the
     * weights of the last {@link #prepare}. Returns without waiting for either API; {@link #await} gives the RGB.
     */
    public synchronized void enqueue(GlBuffer features, int h, int w) {
        gl.checkThread();
        if (pendingH >= 0) {
            awaitPending(); // the shared buffer is the last submit's input until its fence
        }
        long bytes = 4L * channels * h * w;
        importFor(h, w);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT); // the shaders' writes of the features, before the copy
        // a compute copy: the driver's glCopyBufferSubData runs far below memory bandwidth (GpuFill)
        GpuFill.copy(gl.shaders(), features, 0, glView, 0, bytes);
        if (glSemaphore != 0) {
            try (MemoryStack stack = MemoryStack.stackPush()) {
                // the copy's buffer is handed over with the signal; no textures
                EXTSemaphore.nglSignalSemaphoreEXT(glSemaphore, 1, memAddress(stack.ints(glBuffer)), 0, NULL, NULL);
            }
            glFlush(); // the signal must reach the GPU before Vulkan's wait is submitted
        } else {
            glFinish();
        }
        GlBuffer.checkError("copying the features into the buffer shared with Vulkan");
        cnn.submitShared(h, w, vkSemaphore, fence);
        pendingH = h;
        pendingW = w;
    }

    /** RGB [3, H, W] of the last {@link #enqueue}, once the GPU has it (any thread). */
    public synchronized float[] await() {
        if (pendingH < 0) {
            throw new IllegalStateException("no CNN forward in flight");
        }
        int ph = pendingH;
        int pw = pendingW;
        long t0 = System.nanoTime();
        awaitPending();
        long t1 = System.nanoTime();
        float[] rgb = cnn.sharedRgb(ph, pw);
        lastWaitNs = t1 - t0;
        lastCopyNs = System.nanoTime() - t1;
        return rgb;
    }

    /** Host time of the last {@link #await}, in ns: {waiting for the GPU, copying the RGB out}. */
    public synchronized long[] lastAwaitNs() {
        return new long[] {lastWaitNs, lastCopyNs};
    }

    private void awaitPending() {
        try {
            vk.await(fence, "CNN forward " + pendingW + "x" + pendingH + " (shared input)");
        } finally {
            pendingH = -1;
            pendingW = -1;
        }
    }

    /**
     * RGB [3, H, W] of the first C x H x W floats of {@code features} through the renderer's current weights; off
     * the GL thread, the caller keeps the buffer unchanged until this returns.
     */
    public float[] forward(NeuralRenderer net, GlBuffer features, int h, int w) {
        prepare(net);
        gl.call(() -> {
            enqueue(features, h, w);
            return null;
        });
        return await();
    }

    public VkCnn.Timing lastTiming() {
        return cnn.lastTiming();
    }

    /** Whether the RGB comes back through memory the CPU caches. */
    public boolean rgbHostCached() {
        return cnn.rgbHostCached();
    }

    /** On the GL thread: (re)imports the Vulkan input buffer when the image size changed. */
    private void importFor(int newH, int newW) {
        if (newH == h && newW == w) {
            return;
        }
        releaseGl();
        VkBuf shared = cnn.sharedInput(newH, newW);
        int fd = shared.exportFd();
        glMemory = EXTMemoryObject.glCreateMemoryObjectsEXT();
        EXTMemoryObjectFD.glImportMemoryFdEXT(glMemory, shared.allocationSize(),
                EXTMemoryObjectFD.GL_HANDLE_TYPE_OPAQUE_FD_EXT, fd);
        glBuffer = glGenBuffers();
        glBindBuffer(GL_COPY_WRITE_BUFFER, glBuffer);
        EXTMemoryObject.glBufferStorageMemEXT(GL_COPY_WRITE_BUFFER, shared.size(), glMemory, 0);
        glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
        glView = GlBuffer.fixed("CNN input shared with Vulkan", glBuffer, shared.size(), null);
        try {
            GlBuffer.checkError("importing the Vulkan CNN's input buffer (" + shared.size() + " bytes) into GL");
        } catch (GlException e) {
            releaseGl();
            throw e;
        }
        h = newH;
        w = newW;
    }

    private void releaseGl() {
        if (glView != null) {
            glView.close(); // deletes glBuffer
            glView = null;
            glBuffer = 0;
        }
        if (glBuffer != 0) {
            glDeleteBuffers(glBuffer);
            glBuffer = 0;
        }
        if (glMemory != 0) {
            EXTMemoryObject.glDeleteMemoryObjectsEXT(glMemory);
            glMemory = 0;
        }
        h = -1;
        w = -1;
    }

    private void releaseSemaphore() {
        if (glSemaphore != 0) {
            EXTSemaphore.glDeleteSemaphoresEXT(glSemaphore);
            glSemaphore = 0;
        }
        vk.destroySemaphore(vkSemaphore);
        vkSemaphore = 0;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (pendingH >= 0) {
                try {
                    awaitPending();
                } catch (GlException e) { // a lost device: nothing is in flight any more
                }
            }
        }
        // outside the lock: the GL thread may be waiting for it in enqueue
        if (!gl.isClosed()) {
            gl.call(() -> {
                synchronized (this) {
                    releaseGl();
                    releaseSemaphore();
                }
                return null;
            });
        } else {
            vk.destroySemaphore(vkSemaphore);
            vkSemaphore = 0;
        }
        vk.destroyFence(fence);
        cnn.close();
    }
}
