package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.opengl.GL11C.glFinish;
import static org.lwjgl.opengl.GL15C.glBindBuffer;
import static org.lwjgl.opengl.GL15C.glDeleteBuffers;
import static org.lwjgl.opengl.GL15C.glGenBuffers;
import static org.lwjgl.opengl.GL31C.GL_COPY_READ_BUFFER;
import static org.lwjgl.opengl.GL31C.GL_COPY_WRITE_BUFFER;
import static org.lwjgl.opengl.GL31C.glCopyBufferSubData;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.lwjgl.opengl.EXTMemoryObject;
import org.lwjgl.opengl.EXTMemoryObjectFD;
import org.lwjgl.opengl.GL;
import org.lwjgl.system.MemoryStack;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The Vulkan CNN fed straight from a GL buffer: the CNN's input buffer is Vulkan memory exported as a file descriptor
 * and imported into the GL context (GL_EXT_memory_object_fd), so the feature image crosses as one GPU-side buffer
 * copy instead of a read-back to the host and an upload. Synchronisation is coarse: glFinish after the GL copy, then
 * the Vulkan submit waits on its fence (no shared semaphores yet). Both APIs must drive the same device (the device
 * UUIDs are compared).
 */
public final class GlToVkCnn implements AutoCloseable {
    private final GlContext gl;
    private final VkCnn cnn;
    private final int channels;
    private int glBuffer;
    private int glMemory;
    private int h = -1;
    private int w = -1;

    private GlToVkCnn(GlContext gl, VkCnn cnn, int channels) {
        this.gl = gl;
        this.cnn = cnn;
        this.channels = channels;
    }

    /**
     * @throws GlException (a {@link VkException} for the Vulkan side) naming what is missing: the GL or Vulkan
     *         extension, or the same device behind both
     */
    public static GlToVkCnn open(GlContext gl, VkCompute vk, int channels, VkCnn.Precision precision,
            VkCnn.Tiling tiling) {
        byte[] vkUuid = vk.deviceUuid();
        gl.call(() -> {
            if (!GL.getCapabilities().GL_EXT_memory_object_fd) {
                throw new GlException("GL context has no GL_EXT_memory_object_fd: features cannot be shared with "
                        + "Vulkan");
            }
            try (MemoryStack stack = MemoryStack.stackPush()) {
                ByteBuffer uuid = stack.calloc(EXTMemoryObject.GL_UUID_SIZE_EXT);
                EXTMemoryObject.glGetUnsignedBytei_vEXT(EXTMemoryObject.GL_DEVICE_UUID_EXT, 0, uuid);
                GlBuffer.checkError("glGetUnsignedBytei_vEXT(GL_DEVICE_UUID_EXT)");
                byte[] glUuid = new byte[16];
                uuid.get(glUuid);
                if (!Arrays.equals(glUuid, vkUuid)) {
                    throw new GlException("GL and Vulkan drive different devices (" + gl.capabilities().renderer()
                            + " vs " + vk.capabilities().deviceName() + "): features cannot be shared");
                }
            }
            return null;
        });
        GlToVkCnn shared = new GlToVkCnn(gl, new VkCnn(vk, channels, precision, tiling, true), channels);
        try {
            // a driver pair may list the extensions and still refuse the import (llvmpipe + lavapipe 22.3 do): try
            gl.call(() -> {
                shared.importFor(1, 1);
                return null;
            });
            return shared;
        } catch (GlException e) {
            shared.close();
            throw new GlException("GL could not import the Vulkan CNN's buffer (" + e.getMessage()
                    + "): features cannot be shared", e);
        }
    }

    /**
     * RGB [3, H, W] of the first C x H x W floats of {@code features} (planar, as the GL rasterizer writes them),
     * through the renderer's current weights.
     */
    public synchronized float[] forward(NeuralRenderer net, GlBuffer features, int h, int w) {
        cnn.uploadParameters(net);
        long bytes = 4L * channels * h * w;
        gl.call(() -> {
            importFor(h, w);
            glBindBuffer(GL_COPY_READ_BUFFER, features.id());
            glBindBuffer(GL_COPY_WRITE_BUFFER, glBuffer);
            glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0, bytes);
            glBindBuffer(GL_COPY_READ_BUFFER, 0);
            glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
            glFinish();
            GlBuffer.checkError("copying the features into the buffer shared with Vulkan");
            return null;
        });
        return cnn.forwardShared(h, w);
    }

    public VkCnn.Timing lastTiming() {
        return cnn.lastTiming();
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

    @Override
    public synchronized void close() {
        if (!gl.isClosed()) {
            gl.call(() -> {
                releaseGl();
                return null;
            });
        }
        cnn.close();
    }
}
