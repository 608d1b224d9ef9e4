package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.opengl.GL43C.*;

import java.lang.System.Logger.Level;
import java.util.Arrays;

import org.lwjgl.opengl.EXTMemoryObject;
import org.lwjgl.opengl.EXTMemoryObjectFD;
import org.lwjgl.opengl.GL;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.cnn.GlCnn;
import org.portraitgen.field.gl.internal.cnn.TrainerCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The GL trainer's CNN on Vulkan ({@link VkTrainingCnn}): the GL side sees the parameters, gradients and images as
 * GL buffers. Where both drivers share memory (GL_EXT_memory_object_fd, same device) those GL buffers are the Vulkan
 * memory itself, and each hand-over between the APIs is a glFinish before a Vulkan submit and the submit's fence
 * after it; elsewhere (llvmpipe with lavapipe, used by the tests) they are GL copies that the host carries across at
 * the same points. Runs on the GL thread.
 */
public final class GlVkTrainerCnn implements TrainerCnn {
    private static final System.Logger LOG = System.getLogger(GlVkTrainerCnn.class.getName());

    private final GlContext gl;
    private final VulkanThread vkThread;
    private final VkCompute vk;
    private final VkTrainingCnn cnn;
    private final boolean shared;
    private final GlBuffer params;
    private final GlBuffer grads;
    private GlBuffer features;
    private GlBuffer rgb;
    private GlBuffer rgbGradient;
    private GlBuffer featureGradient;
    private VkTrainingCnn.Images images;
    private int h = -1;
    private int w = -1;
    /** Host nanoseconds since the last {@link #takeHostSplit}: GL copy + glFinish, Vulkan call, per direction. */
    private final long[] hostNanos = new long[5];

    private GlVkTrainerCnn(GlContext gl, VulkanThread vkThread, VkCompute vk, VkTrainingCnn cnn) {
        this.gl = gl;
        this.vkThread = vkThread;
        this.vk = vk;
        this.cnn = cnn;
        this.shared = cnn.io() == VkTrainingCnn.Io.EXPORTABLE;
        this.params = view(cnn.parameters(), "CNN parameters (Vulkan)");
        this.grads = view(cnn.gradients(), "CNN gradients (Vulkan)");
        grads.zero(4L * cnn.parameterCount());
    }

    /**
     * The trainer's CNN as {@code -Dportraitgen.gpu.cnn} asks: unset, the Vulkan one where the device has
     * cooperative matrices and GL imports Vulkan memory (never probed on a software GL renderer), else the GL one,
     * with a log line saying why; {@code gl}: the GL one; {@code vulkan-fp16}: the Vulkan one, through the host if
     * memory cannot be shared, or an error saying why not. On the GL thread.
     */
    public static TrainerCnn open(GlContext gl, int featureChannels) {
        VkRenderCnn.Request request = VkRenderCnn.requested();
        if (request == VkRenderCnn.Request.GL) {
            return new GlCnn(gl.shaders(), featureChannels);
        }
        if (request == VkRenderCnn.Request.AUTO && gl.capabilities().software()) {
            LOG.log(Level.DEBUG, "training CNN: gl (software GL renderer " + gl.capabilities().renderer() + ")");
            return new GlCnn(gl.shaders(), featureChannels);
        }
        try {
            return open(gl, featureChannels, VkCnn.Precision.FP16_COOPMAT, request == VkRenderCnn.Request.AUTO);
        } catch (GlException e) {
            if (request == VkRenderCnn.Request.VULKAN_FP16) {
                throw e;
            }
            LOG.log(Level.INFO, "training CNN: gl (" + e.getMessage() + ")");
            return new GlCnn(gl.shaders(), featureChannels);
        }
    }

    /**
     * A Vulkan trainer CNN of the given precision; {@code sharedOnly}: fail (GlException, a VkException on the
     * Vulkan side) instead of going through the host when memory cannot be shared. On the GL thread.
     */
    public static GlVkTrainerCnn open(GlContext gl, int featureChannels, VkCnn.Precision precision,
            boolean sharedOnly) {
        VulkanThread vkThread = new VulkanThread();
        VkCompute vk;
        try {
            vk = vkThread.call(VkCompute::open);
        } catch (RuntimeException e) {
            vkThread.close();
            throw e;
        }
        try {
            String why = GlToVkCnn.sharingProblem(gl, vk);
            if (why != null && sharedOnly) {
                throw new GlException(why);
            }
            VkTrainingCnn.Io io = why == null ? VkTrainingCnn.Io.EXPORTABLE : VkTrainingCnn.Io.HOST_VISIBLE;
            VkTrainingCnn cnn = vkThread.call(() -> new VkTrainingCnn(vk, featureChannels, precision, io));
            try {
                return new GlVkTrainerCnn(gl, vkThread, vk, cnn);
            } catch (GlException e) {
                vkThread.run(cnn::close);
                if (sharedOnly || io == VkTrainingCnn.Io.HOST_VISIBLE) {
                    throw e;
                }
                // a driver pair may list the extensions and still refuse the import (llvmpipe + lavapipe 22.3 do)
                LOG.log(Level.WARNING, "training CNN: Vulkan memory does not import into GL (" + e.getMessage()
                        + "); images cross through the host");
                return new GlVkTrainerCnn(gl, vkThread, vk, vkThread.call(() -> new VkTrainingCnn(vk,
                        featureChannels, precision, VkTrainingCnn.Io.HOST_VISIBLE)));
            }
        } catch (RuntimeException e) {
            vkThread.run(vk::close);
            vkThread.close();
            throw e;
        }
    }

    /** The GL side of a Vulkan buffer: the imported memory itself, or a GL buffer of the same size. */
    private GlBuffer view(VkBuf b, String name) {
        if (!shared) {
            GlBuffer copy = new GlBuffer(name + ", host copy");
            copy.ensure(b.size());
            return copy;
        }
        int fd = vkThread.call(b::exportFd);
        int memory = EXTMemoryObject.glCreateMemoryObjectsEXT();
        EXTMemoryObjectFD.glImportMemoryFdEXT(memory, b.allocationSize(), EXTMemoryObjectFD.GL_HANDLE_TYPE_OPAQUE_FD_EXT,
                fd);
        int id = glGenBuffers();
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, id);
        EXTMemoryObject.glBufferStorageMemEXT(GL_SHADER_STORAGE_BUFFER, b.size(), memory, 0);
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
        GlBuffer view = GlBuffer.fixed(name, id, b.size(), () -> EXTMemoryObject.glDeleteMemoryObjectsEXT(memory));
        try {
            GlBuffer.checkError("importing Vulkan buffer '" + b.name + "' (" + b.size() + " bytes) into GL");
        } catch (GlException e) {
            view.close();
            throw e;
        }
        return view;
    }

    /** Host copy GL → Vulkan (not shared), of {@code floats}. */
    private static void toVulkan(GlBuffer from, VkBuf to, int floats) {
        to.mapped().asFloatBuffer().put(from.readFloats(floats));
    }

    /** Host copy Vulkan → GL (not shared), of {@code floats}. */
    private static void toGl(VkBuf from, GlBuffer to, int floats) {
        float[] data = new float[floats];
        from.mapped().asFloatBuffer().get(data);
        to.upload(data);
    }

    private void ensureSize(int newH, int newW) {
        if (newH == h && newW == w) {
            return;
        }
        closeImages();
        images = vkThread.call(() -> cnn.images(newH, newW));
        features = view(images.features(), "CNN features (Vulkan)");
        rgb = view(images.rgb(), "CNN rgb (Vulkan)");
        rgbGradient = view(images.rgbGradient(), "CNN dL/dRGB (Vulkan)");
        featureGradient = view(images.featureGradient(), "CNN dL/dfeatures (Vulkan)");
        h = newH;
        w = newW;
    }

    private void closeImages() {
        boolean any = false;
        for (GlBuffer b : new GlBuffer[] {features, rgb, rgbGradient, featureGradient}) {
            if (b != null) {
                b.close();
                any = true;
            }
        }
        if (any) {
            glFinish(); // GL is done with the memory before Vulkan frees it
        }
        features = rgb = rgbGradient = featureGradient = null;
        h = w = -1;
    }

    @Override
    public String describe() {
        return "Vulkan " + (cnn.precision() == VkCnn.Precision.FP16_COOPMAT ? "fp16 cooperative matrices" : "fp32")
                + " on " + vk.capabilities().deviceName() + (shared ? ", memory shared with GL" : ", through the host");
    }

    @Override
    public int parameterCount() {
        return cnn.parameterCount();
    }

    @Override
    public GlBuffer parameters() {
        return params;
    }

    @Override
    public GlBuffer gradients() {
        return grads;
    }

    @Override
    public void uploadParameters(NeuralRenderer net) {
        check(net);
        params.upload(TrainerCnn.flatten(net));
    }

    @Override
    public void downloadParameters(NeuralRenderer net) {
        check(net);
        TrainerCnn.unflatten(params.readFloats(cnn.parameterCount()), net);
    }

    private void check(NeuralRenderer net) {
        if (net.featureChannels != cnn.featureChannels()) {
            throw new IllegalArgumentException("renderer has " + net.featureChannels + " feature channels, the "
                    + "Vulkan CNN " + cnn.featureChannels());
        }
    }

    @Override
    public void zeroGradients() {
        grads.zero(4L * cnn.parameterCount());
    }

    @Override
    public void forward(GlBuffer source, int newH, int newW) {
        ensureSize(newH, newW);
        int floats = cnn.featureChannels() * newH * newW;
        long t0 = System.nanoTime();
        copy(source, features, 4L * floats);
        if (shared) {
            glFinish();
        } else {
            toVulkan(params, cnn.parameters(), cnn.parameterCount());
            toVulkan(features, images.features(), floats);
        }
        GlBuffer.checkError("handing the features to the Vulkan CNN");
        long t1 = System.nanoTime();
        vkThread.run(() -> cnn.forward(newH, newW));
        hostNanos[0] += t1 - t0;
        hostNanos[1] += System.nanoTime() - t1;
        hostNanos[4]++;
        if (!shared) {
            toGl(images.rgb(), rgb, 3 * newH * newW);
        }
    }

    @Override
    public GlBuffer rgb() {
        return rgb;
    }

    @Override
    public void backward(GlBuffer vRgb) {
        if (h < 0) {
            throw new IllegalStateException("CNN backward without a forward");
        }
        int pixels = h * w;
        long t0 = System.nanoTime();
        copy(vRgb, rgbGradient, 12L * pixels);
        if (shared) {
            glFinish();
        } else {
            toVulkan(rgbGradient, images.rgbGradient(), 3 * pixels);
            toVulkan(grads, cnn.gradients(), cnn.parameterCount());
        }
        GlBuffer.checkError("handing dL/dRGB to the Vulkan CNN");
        long t1 = System.nanoTime();
        vkThread.run(() -> cnn.backward(h, w));
        hostNanos[2] += t1 - t0;
        hostNanos[3] += System.nanoTime() - t1;
        if (!shared) {
            toGl(cnn.gradients(), grads, cnn.parameterCount());
            toGl(images.featureGradient(), featureGradient, cnn.featureChannels() * pixels);
        }
    }

    private static void copy(GlBuffer from, GlBuffer to, long bytes) {
        glBindBuffer(GL_COPY_READ_BUFFER, from.id());
        glBindBuffer(GL_COPY_WRITE_BUFFER, to.id());
        glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0, bytes);
        glBindBuffer(GL_COPY_READ_BUFFER, 0);
        glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
    }

    @Override
    public GlBuffer featureGradient() {
        return featureGradient;
    }

    /**
     * Where the host's time in the CNN went since the last call, mean ms per frame: forward's GL copy + glFinish
     * (waits for the rasterizer), forward's Vulkan call (thread hop, submit, fence), the same two for the backward.
     */
    public String takeHostSplit() {
        long n = Math.max(1, hostNanos[4]);
        String s = String.format("forward: GL copy + glFinish %.3f, Vulkan %.3f; backward: GL copy + glFinish %.3f, "
                + "Vulkan %.3f (host ms per frame, mean of %d)", hostNanos[0] / 1e6 / n, hostNanos[1] / 1e6 / n,
                hostNanos[2] / 1e6 / n, hostNanos[3] / 1e6 / n, hostNanos[4]);
        java.util.Arrays.fill(hostNanos, 0);
        return s;
    }

    /** GPU milliseconds of the last backward's stages (timestamps). */
    public String lastBackwardStages() {
        return vkThread.call(cnn::lastBackwardStages);
    }

    /** GPU milliseconds of the last Vulkan forward and backward (timestamps). */
    public double[] lastMillis() {
        return vkThread.call(cnn::lastMillis);
    }

    @Override
    public long bufferBytes() {
        return cnn.deviceBytes() + (shared ? 0 : params.capacity() + grads.capacity()
                + (h < 0 ? 0 : features.capacity() + rgb.capacity() + rgbGradient.capacity()
                        + featureGradient.capacity()));
    }

    @Override
    public void close() {
        if (!gl.isClosed()) {
            gl.call(() -> {
                closeImages();
                params.close();
                grads.close();
                glFinish();
                return null;
            });
        }
        vkThread.run(() -> {
            cnn.close();
            vk.close();
        });
        vkThread.close();
    }
}
