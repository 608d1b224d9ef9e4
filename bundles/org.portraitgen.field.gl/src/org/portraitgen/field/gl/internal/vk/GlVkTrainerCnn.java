package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.opengl.GL43C.*;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

import org.lwjgl.opengl.EXTMemoryObject;
import org.lwjgl.opengl.EXTMemoryObjectFD;
import org.lwjgl.opengl.GL;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GpuFill;
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
    /** Frame slots: the most frames one forward or backward takes (each slot holds its activations). */
    private final int slots;
    /** Per frame slot, the GL side of its images (empty until a forward at a size). */
    private final List<SlotViews> views = new ArrayList<>();
    private int h = -1;
    private int w = -1;
    /** Slots whose activations are from the last forward. */
    private int forwardFrames;
    /** The Vulkan device's memory, bytes (its largest device-local heap). */
    private final long deviceBytes;
    /** The size the slot cap was last logged for. */
    private int cappedH = -1;
    private int cappedW = -1;
    /** Host nanoseconds since the last {@link #takeHostSplit}: GL copy + glFinish, Vulkan call, per direction. */
    private final long[] hostNanos = new long[5];

    /** Slot {@code k}'s image buffers: the Vulkan ones and their GL sides. */
    private record SlotViews(VkTrainingCnn.Images images, GlBuffer features, GlBuffer rgb, GlBuffer rgbGradient,
            GlBuffer featureGradient) {
        GlBuffer[] gl() {
            return new GlBuffer[] {features, rgb, rgbGradient, featureGradient};
        }
    }

    /**
     * Frame slots asked for by {@code -Dportraitgen.gpu.cnn.frames} (default 10, a batch of PortraitGen's lift):
     * each slot holds a frame's activations, about 240 MB at 512² in fp16.
     */
    public static final String FRAMES_PROPERTY = "portraitgen.gpu.cnn.frames";

    private static int slotsRequested() {
        String v = System.getProperty(FRAMES_PROPERTY, "10");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + FRAMES_PROPERTY + "=" + v + ": expected a number of frame slots "
                + "from 1 to 64");
    }

    private GlVkTrainerCnn(GlContext gl, VulkanThread vkThread, VkCompute vk, VkTrainingCnn cnn, int slots) {
        this.slots = slots;
        this.deviceBytes = vk.deviceLocalBytes();
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
        return open(gl, featureChannels, precision, sharedOnly, slotsRequested());
    }

    /** The same with {@code frameSlots} frame slots instead of {@code -Dportraitgen.gpu.cnn.frames}. */
    public static GlVkTrainerCnn open(GlContext gl, int featureChannels, VkCnn.Precision precision,
            boolean sharedOnly, int frameSlots) {
        if (frameSlots < 1) {
            throw new IllegalArgumentException(frameSlots + " frame slots");
        }
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
                return new GlVkTrainerCnn(gl, vkThread, vk, cnn, frameSlots);
            } catch (GlException e) {
                vkThread.run(cnn::close);
                if (sharedOnly || io == VkTrainingCnn.Io.HOST_VISIBLE) {
                    throw e;
                }
                // a driver pair may list the extensions and still refuse the import (llvmpipe + lavapipe 22.3 do)
                LOG.log(Level.WARNING, "training CNN: Vulkan memory does not import into GL (" + e.getMessage()
                        + "); images cross through the host");
                return new GlVkTrainerCnn(gl, vkThread, vk, vkThread.call(() -> new VkTrainingCnn(vk,
                        featureChannels, precision, VkTrainingCnn.Io.HOST_VISIBLE)), frameSlots);
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

    /**
     * GL views of slots 0 to {@code frames - 1} at the size. When the size changes or more slots are needed, every
     * view is closed and made again: the Vulkan side reallocates all its slots then.
     */
    private void ensureSize(int newH, int newW, int frames) {
        if (newH == h && newW == w && views.size() >= frames) {
            return;
        }
        closeImages();
        // the highest slot first, so the plan is made once with all of them
        VkTrainingCnn.Images[] images = vkThread.call(() -> {
            VkTrainingCnn.Images[] all = new VkTrainingCnn.Images[frames];
            for (int k = frames - 1; k >= 0; k--) {
                all[k] = cnn.images(newH, newW, k);
            }
            return all;
        });
        for (int k = 0; k < frames; k++) {
            String of = " (Vulkan, frame slot " + k + ")";
            views.add(new SlotViews(images[k], view(images[k].features(), "CNN features" + of),
                    view(images[k].rgb(), "CNN rgb" + of), view(images[k].rgbGradient(), "CNN dL/dRGB" + of),
                    view(images[k].featureGradient(), "CNN dL/dfeatures" + of)));
        }
        h = newH;
        w = newW;
    }

    private void closeImages() {
        for (SlotViews v : views) {
            for (GlBuffer b : v.gl()) {
                b.close();
            }
        }
        if (!views.isEmpty()) {
            glFinish(); // GL is done with the memory before Vulkan frees it
        }
        views.clear();
        h = w = -1;
        forwardFrames = 0;
    }

    private void requireFrames(int frames) {
        if (frames < 1 || frames > slots) {
            throw new IllegalArgumentException(frames + " frames for a CNN of " + slots + " frame slots (-D"
                    + FRAMES_PROPERTY + ")");
        }
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
    public int frameSlots() {
        return slots;
    }

    /**
     * The frame slots at size {@code h} x {@code w}: the slots asked for, but no more than take a quarter of the
     * device's memory (at 512² a slot is about 240 MB; at 1080p about 1.9 GB), and at least one.
     */
    @Override
    public int frameSlots(int h, int w) {
        long slotBytes = cnn.slotBytes(h, w);
        int fit = slotsWithin(deviceBytes / 4, slotBytes, slots);
        if (fit < slots && (h != cappedH || w != cappedW)) {
            cappedH = h;
            cappedW = w;
            LOG.log(Level.INFO, "training CNN: " + fit + " of " + slots + " frame slots at " + w + "x" + h + " ("
                    + slotBytes / 1048576 + " MiB each, within a quarter of the device's "
                    + deviceBytes / 1048576 + " MiB)");
        }
        return fit;
    }

    /** How many slots of {@code slotBytes} fit in {@code budgetBytes}: from 1 to {@code wanted}. */
    public static int slotsWithin(long budgetBytes, long slotBytes, int wanted) {
        long fit = slotBytes <= 0 ? wanted : budgetBytes / slotBytes;
        return (int) Math.max(1, Math.min(wanted, fit));
    }

    @Override
    public void forward(GlBuffer[] sources, int frames, int newH, int newW) {
        requireFrames(frames);
        // a new size frees the plan (Vulkan reallocates every slot): views of the old size must go first
        ensureSize(newH, newW, frames);
        int floats = cnn.featureChannels() * newH * newW;
        long t0 = System.nanoTime();
        for (int k = 0; k < frames; k++) {
            copy(sources[k], views.get(k).features(), 4L * floats);
        }
        if (shared) {
            glFinish();
        } else {
            toVulkan(params, cnn.parameters(), cnn.parameterCount());
            for (int k = 0; k < frames; k++) {
                toVulkan(views.get(k).features(), views.get(k).images().features(), floats);
            }
        }
        GlBuffer.checkError("handing the features to the Vulkan CNN");
        long t1 = System.nanoTime();
        forwardFrames = 0;
        vkThread.run(() -> cnn.forward(newH, newW, frames));
        forwardFrames = frames;
        hostNanos[0] += t1 - t0;
        hostNanos[1] += System.nanoTime() - t1;
        hostNanos[4] += frames;
        if (!shared) {
            for (int k = 0; k < frames; k++) {
                toGl(views.get(k).images().rgb(), views.get(k).rgb(), 3 * newH * newW);
            }
        }
    }

    @Override
    public GlBuffer rgb(int slot) {
        return slotViews(slot).rgb();
    }

    private SlotViews slotViews(int slot) {
        if (slot < 0 || slot >= views.size()) {
            throw new IllegalStateException("no forward has filled CNN frame slot " + slot);
        }
        return views.get(slot);
    }

    @Override
    public void backward(GlBuffer[] vRgb, int frames) {
        requireFrames(frames);
        if (forwardFrames < frames) {
            throw new IllegalStateException("CNN backward of " + frames + " frame(s) after a forward of "
                    + forwardFrames);
        }
        int pixels = h * w;
        long t0 = System.nanoTime();
        for (int k = 0; k < frames; k++) {
            copy(vRgb[k], views.get(k).rgbGradient(), 12L * pixels);
        }
        if (shared) {
            glFinish();
        } else {
            for (int k = 0; k < frames; k++) {
                toVulkan(views.get(k).rgbGradient(), views.get(k).images().rgbGradient(), 3 * pixels);
            }
            toVulkan(grads, cnn.gradients(), cnn.parameterCount());
        }
        GlBuffer.checkError("handing dL/dRGB to the Vulkan CNN");
        long t1 = System.nanoTime();
        int rows = h;
        int cols = w;
        vkThread.run(() -> cnn.backward(rows, cols, frames));
        hostNanos[2] += t1 - t0;
        hostNanos[3] += System.nanoTime() - t1;
        if (!shared) {
            toGl(cnn.gradients(), grads, cnn.parameterCount());
            for (int k = 0; k < frames; k++) {
                toGl(views.get(k).images().featureGradient(), views.get(k).featureGradient(),
                        cnn.featureChannels() * pixels);
            }
        }
    }

    /** A GPU copy by a compute kernel: the driver's glCopyBufferSubData runs far below memory bandwidth. */
    private void copy(GlBuffer from, GlBuffer to, long bytes) {
        GpuFill.copy(gl.shaders(), from, 0, to, 0, bytes);
    }

    @Override
    public GlBuffer featureGradient(int slot) {
        return slotViews(slot).featureGradient();
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
        long bytes = cnn.deviceBytes();
        if (!shared) {
            bytes += params.capacity() + grads.capacity();
            for (SlotViews v : views) {
                for (GlBuffer b : v.gl()) {
                    bytes += b.capacity();
                }
            }
        }
        return bytes;
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
