package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lwjgl.vulkan.VkCommandBuffer;
import org.portraitgen.field.gl.internal.vk.VkCommands.Slice;
import org.portraitgen.field.internal.cnn.Conv2d;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The neural renderer's forward pass in Vulkan compute. With {@link Precision#FP16_COOPMAT} the 3x3 layers are
 * implicit GEMMs on the tensor cores (fp16 activations and weights, fp32 accumulation, see
 * {@code shaders/vk/conv3x3_coopmat.comp}); with {@link Precision#FP32} the same layouts run through a plain fp32
 * kernel (devices without cooperative matrices, e.g. lavapipe in CI). Activations live in a zero-padded channels-last
 * layout [H+2][WP][C] so that no kernel tests bounds. The 1x1 RGB layer and the sigmoid are one small kernel.
 *
 * <p>Host images go in and out through host-visible buffers copied within the same command buffer; its timestamps
 * separate the copies from the network. A plan (buffers, descriptor sets, one recorded command buffer) is kept per
 * image size and re-submitted.
 */
public final class VkCnn implements AutoCloseable {
    public enum Precision {
        FP16_COOPMAT, FP32
    }

    /** The matrix kernels (shaders/vk/conv3x3_coopmat*.comp). */
    public enum Kernel {
        /** Each subgroup loads its operands from global memory (L1-cached). */
        GLOBAL("vk/conv3x3_coopmat.comp"),
        /** Input rows and weights staged in shared memory per 16-channel slice, one row per work group. */
        STAGED("vk/conv3x3_coopmat_staged.comp"),
        /** Input rows staged in shared memory, one row per subgroup; weights from global memory. */
        ROWS("vk/conv3x3_coopmat_rows.comp"),
        /** As ROWS, the weights' slice staged in shared memory too. */
        ROWS_B("vk/conv3x3_coopmat_rows.comp");

        final String shader;

        Kernel(String shader) {
            this.shader = shader;
        }
    }

    /**
     * The matrix kernel's tiling: each subgroup computes {@code mt} x 16 pixels of a row by up to {@code maxNt} x 16
     * output channels; {@code subgroups} subgroups of 32 per work group.
     */
    public record Tiling(Kernel kernel, int mt, int maxNt, int subgroups) {
        public static final Tiling DEFAULT = new Tiling(Kernel.ROWS_B, 2, 2, 8);

        int nt(int outChannels) {
            return Math.min(maxNt, outChannels / 16);
        }

        /** Pixels of a row one work group's x index covers. */
        int pixelsPerBlock() {
            return kernel == Kernel.STAGED ? 16 * mt * subgroups : 16 * mt;
        }

        /** Work groups for the image's rows x x-blocks. */
        int groups(int h, int xBlocks) {
            return switch (kernel) {
                case GLOBAL -> VkCnn.groups((long) h * xBlocks, subgroups);
                case STAGED -> VkCnn.groups((long) h * xBlocks, 1);
                case ROWS, ROWS_B -> VkCnn.groups((long) ((h + subgroups - 1) / subgroups) * xBlocks, 1);
            };
        }

        @Override
        public String toString() {
            return kernel.name().toLowerCase() + " mt=" + mt + " nt<=" + maxNt + " sg=" + subgroups;
        }
    }

    /** Timestamp queries: start, after the uploads, after each of the 7 network stages, after the read-back. */
    private static final int QUERIES = 10;
    private static final int[] HIDDEN = {128, 64, 32, 32, 32};

    private final VkCompute vk;
    private final Precision precision;
    private final Tiling tiling;
    private final boolean sharedInput;
    private final int featureChannels;
    private final int paddedInput;
    private final int elementBytes;
    private final long[] weightOffset = new long[HIDDEN.length];
    private final long[] biasOffset = new long[HIDDEN.length];
    private final long headOffset;
    private final long paramBytes;
    private final VkBuf hostParams;
    private final VkBuf deviceParams;
    private final VkCompute.Pipeline pack;
    private final VkCompute.Pipeline zeroColumns;
    private final VkCompute.Pipeline head;
    private final VkCompute.Pipeline[] convs = new VkCompute.Pipeline[HIDDEN.length];
    private Plan plan;
    /** The parameters last packed into {@link #hostParams}, to skip packing them again unchanged. */
    private float[][] uploaded;

    /**
     * GPU time of the last forward, from its timestamps, in milliseconds; {@code stageMs}: the input packing, the
     * five 3x3 layers, the RGB head.
     */
    public record Timing(double uploadMs, double networkMs, double readbackMs, double[] stageMs) {
    }

    public VkCnn(VkCompute vk, int featureChannels, Precision precision) {
        this(vk, featureChannels, precision, Tiling.DEFAULT);
    }

    public VkCnn(VkCompute vk, int featureChannels, Precision precision, Tiling tiling) {
        this(vk, featureChannels, precision, tiling, false);
    }

    /**
     * @param sharedInput the features come from {@link #sharedInput}, a device buffer that OpenGL writes (imported
     *        through GL_EXT_memory_object_fd), instead of from the host
     */
    public VkCnn(VkCompute vk, int featureChannels, Precision precision, Tiling tiling, boolean sharedInput) {
        this.tiling = tiling;
        this.sharedInput = sharedInput;
        if (sharedInput && !vk.capabilities().externalMemoryFd()) {
            throw new VkException("Vulkan device " + vk.capabilities().deviceName()
                    + " has no VK_KHR_external_memory_fd: features cannot be shared with OpenGL");
        }
        if (precision == Precision.FP16_COOPMAT && !vk.capabilities().tensorCores()) {
            throw new VkException("Vulkan device " + vk.capabilities().deviceName()
                    + " has no fp16 16x16x16 cooperative matrices with subgroups of 32");
        }
        this.vk = vk;
        this.precision = precision;
        this.featureChannels = featureChannels;
        this.paddedInput = roundUp(featureChannels, 16);
        this.elementBytes = precision == Precision.FP16_COOPMAT ? 2 : 4;
        long align = vk.storageOffsetAlignment();
        long offset = 0;
        int in = paddedInput;
        for (int i = 0; i < HIDDEN.length; i++) {
            weightOffset[i] = offset;
            offset = roundUp(offset + 9L * in * HIDDEN[i] * elementBytes, align);
            biasOffset[i] = offset;
            offset = roundUp(offset + 16L * HIDDEN[i] * 4, align);
            in = HIDDEN[i];
        }
        headOffset = offset;
        paramBytes = offset + (3L * in + 3) * 4;
        hostParams = new VkBuf(vk, "CNN parameters (host)", paramBytes, true);
        deviceParams = new VkBuf(vk, "CNN parameters", paramBytes, false);

        Map<String, String> act = precision == Precision.FP16_COOPMAT ? Map.of("FP16", "1") : Map.of();
        pack = vk.pipeline("vk/pack.comp", act, 2);
        zeroColumns = vk.pipeline("vk/zero_columns.comp", act, 1);
        head = vk.pipeline("vk/head.comp", with(act, "CIN", "32"), 3);
        in = paddedInput;
        for (int i = 0; i < HIDDEN.length; i++) {
            if (precision == Precision.FP16_COOPMAT) {
                Map<String, String> defines = new java.util.HashMap<>(Map.of("CIN", "" + in, "COUT", "" + HIDDEN[i],
                        "MT", "" + tiling.mt(), "NT", "" + tiling.nt(HIDDEN[i]), "SUBGROUPS", "" + tiling.subgroups()));
                if (tiling.kernel() == Kernel.ROWS_B) {
                    defines.put("STAGE_B", "1");
                }
                convs[i] = vk.pipeline(tiling.kernel().shader, defines, 4);
            } else {
                convs[i] = vk.pipeline("vk/conv3x3_fp32.comp", Map.of("CIN", "" + in, "COUT", "" + HIDDEN[i]), 4);
            }
            in = HIDDEN[i];
        }
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        java.util.HashMap<String, String> copy = new java.util.HashMap<>(m);
        copy.put(k, v);
        return copy;
    }

    static int roundUp(int v, int to) {
        return (v + to - 1) / to * to;
    }

    static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    public Precision precision() {
        return precision;
    }

    /** Writes the renderer's weights into the upload buffer in the kernels' layouts (copied up with each pass). */
    public synchronized void uploadParameters(NeuralRenderer net) {
        if (net.featureChannels != featureChannels) {
            throw new IllegalArgumentException("renderer has " + net.featureChannels + " feature channels, this CNN "
                    + featureChannels);
        }
        // renders repeat the same weights: comparing them costs far less than repacking them to fp16
        float[][] params = net.parameters();
        if (uploaded != null && java.util.Arrays.deepEquals(params, uploaded)) {
            return;
        }
        uploaded = new float[params.length][];
        for (int i = 0; i < params.length; i++) {
            uploaded[i] = params[i].clone();
        }
        ByteBuffer b = hostParams.mapped();
        int in = featureChannels;
        int inPadded = paddedInput;
        for (int i = 0; i < HIDDEN.length; i++) {
            Conv2d layer = net.layers[i];
            int out = HIDDEN[i];
            // PyTorch [Cout][Cin][3][3] -> [tap][Cin (padded)][Cout]
            for (int t = 0; t < 9; t++) {
                for (int ci = 0; ci < inPadded; ci++) {
                    long row = weightOffset[i] + ((long) t * inPadded + ci) * out * elementBytes;
                    for (int co = 0; co < out; co++) {
                        float v = ci < in ? layer.weights[(co * in + ci) * 9 + t] : 0f;
                        int at = (int) (row + (long) co * elementBytes);
                        if (elementBytes == 2) {
                            b.putShort(at, Float.floatToFloat16(v));
                        } else {
                            b.putFloat(at, v);
                        }
                    }
                }
            }
            for (int r = 0; r < 16; r++) {
                for (int co = 0; co < out; co++) {
                    b.putFloat((int) (biasOffset[i] + ((long) r * out + co) * 4), layer.bias[co]);
                }
            }
            in = out;
            inPadded = out;
        }
        Conv2d last = net.layers[HIDDEN.length];
        for (int k = 0; k < 3 * in; k++) {
            b.putFloat((int) (headOffset + 4L * k), last.weights[k]);
        }
        for (int k = 0; k < 3; k++) {
            b.putFloat((int) (headOffset + 4L * (3 * in + k)), last.bias[k]);
        }
    }

    /** RGB [3, H, W] of features [C, H, W] with the parameters last uploaded. */
    public synchronized float[] forward(float[] features, int h, int w) {
        if (features.length != featureChannels * h * w) {
            throw new IllegalArgumentException("feature image has " + features.length + " floats, expected "
                    + featureChannels + "x" + h + "x" + w);
        }
        if (sharedInput) {
            throw new IllegalStateException("this CNN reads its features from the buffer shared with OpenGL");
        }
        Plan p = plan(h, w);
        p.hostIn.mapped().asFloatBuffer().put(features);
        vk.submitAndWait(p.commandBuffer, "CNN forward " + w + "x" + h);
        float[] rgb = new float[3 * h * w];
        p.hostRgb.mapped().asFloatBuffer().get(rgb);
        return rgb;
    }

    /**
     * The exportable device buffer that a CNN made with {@code sharedInput} reads features [C, H, W] (fp32) from at
     * this size; valid until the size changes.
     */
    public synchronized VkBuf sharedInput(int h, int w) {
        if (!sharedInput) {
            throw new IllegalStateException("this CNN reads its features from the host");
        }
        return plan(h, w).devIn;
    }

    /** RGB [3, H, W] of the features already in {@link #sharedInput} (written and finished by OpenGL). */
    public synchronized float[] forwardShared(int h, int w) {
        sharedInput(h, w);
        vk.submitAndWait(plan.commandBuffer, "CNN forward " + w + "x" + h + " (shared input)");
        return sharedRgb(h, w);
    }

    /**
     * Submits the forward of the features in {@link #sharedInput} and returns at once: the GPU starts once
     * {@code waitSemaphore} is signalled (0: no wait; OpenGL signals it after writing the features) and signals
     * {@code fence} when the RGB is in host memory, for {@link #sharedRgb}. The caller submits again only after the
     * fence.
     */
    public synchronized void submitShared(int h, int w, long waitSemaphore, long fence) {
        sharedInput(h, w);
        vk.submit(plan.commandBuffer, waitSemaphore, fence, "CNN forward " + w + "x" + h + " (shared input)");
    }

    /** RGB [3, H, W] of the last forward at this size, read once its fence has signalled. */
    public synchronized float[] sharedRgb(int h, int w) {
        if (plan == null || plan.h != h || plan.w != w) {
            throw new IllegalStateException("no forward at " + w + "x" + h + " to read");
        }
        float[] rgb = new float[3 * h * w];
        java.nio.FloatBuffer from = plan.hostRgb.mapped().asFloatBuffer();
        // a 512² frame is 3 MiB: one core copies it in ~0.3 ms, a few share it (absolute gets: no shared position)
        int parts = Math.min(Runtime.getRuntime().availableProcessors(), rgb.length / RGB_COPY_CHUNK);
        if (parts <= 1) {
            from.get(0, rgb);
        } else {
            int per = (rgb.length + parts - 1) / parts;
            java.util.stream.IntStream.range(0, parts).parallel().forEach(i -> {
                int start = i * per;
                from.get(start, rgb, start, Math.min(per, rgb.length - start));
            });
        }
        return rgb;
    }

    /** Floats per thread at least when the RGB is copied out on several threads. */
    private static final int RGB_COPY_CHUNK = 1 << 18;

    /** Whether the current plan's RGB read-back buffer is in memory the CPU caches (fast to copy out of). */
    public synchronized boolean rgbHostCached() {
        return plan != null && plan.hostRgb.hostCached();
    }

    /** GPU times of the last {@link #forward}, from its timestamps. */
    public synchronized Timing lastTiming() {
        if (plan == null) {
            throw new IllegalStateException("no forward yet");
        }
        long[] t = plan.commands.ticks();
        double ms = vk.timestampPeriodNs() * 1e-6;
        double[] stages = new double[QUERIES - 3];
        for (int i = 0; i < stages.length; i++) {
            stages[i] = (t[i + 2] - t[i + 1]) * ms;
        }
        return new Timing((t[1] - t[0]) * ms, (t[QUERIES - 2] - t[1]) * ms, (t[QUERIES - 1] - t[QUERIES - 2]) * ms,
                stages);
    }

    /** Device memory of the current plan and the parameters, in bytes. */
    public synchronized long deviceBytes() {
        long n = deviceParams.size();
        if (plan != null) {
            for (VkBuf b : plan.deviceBuffers) {
                n += b.size();
            }
        }
        return n;
    }

    private Plan plan(int h, int w) {
        if (plan != null && plan.h == h && plan.w == w) {
            return plan;
        }
        if (plan != null) {
            plan.close();
            plan = null;
        }
        plan = new Plan(h, w);
        return plan;
    }

    /** Buffers, descriptor sets and the recorded command buffer of one image size. */
    private final class Plan implements AutoCloseable {
        final int h;
        final int w;
        final int wp;
        final VkBuf hostIn;
        final VkBuf hostRgb;
        final VkBuf devIn;
        final List<VkBuf> deviceBuffers = new ArrayList<>();
        final VkCommands commands;
        final VkCommandBuffer commandBuffer;

        Plan(int h, int w) {
            this.h = h;
            this.w = w;
            // the matrix kernels write whole tiles of pixels: the padded row holds them
            this.wp = (precision == Precision.FP16_COOPMAT ? roundUp(w, tiling.pixelsPerBlock()) : w) + 2;
            long plane = (long) (h + 2) * wp;
            hostIn = new VkBuf(vk, "CNN features (host)", sharedInput ? 16 : 4L * featureChannels * h * w, true);
            hostRgb = new VkBuf(vk, "CNN rgb (host)", 12L * h * w, true);
            devIn = new VkBuf(vk, "CNN features" + (sharedInput ? " (shared with OpenGL)" : ""),
                    4L * featureChannels * h * w, false, sharedInput);
            deviceBuffers.add(devIn);
            VkBuf devRgb = device("CNN rgb", 12L * h * w);
            VkBuf[] acts = new VkBuf[HIDDEN.length + 1];
            acts[0] = device("CNN layer 0 input", plane * paddedInput * elementBytes);
            for (int i = 0; i < HIDDEN.length; i++) {
                acts[i + 1] = device("CNN layer " + (i + 1) + " input", plane * HIDDEN[i] * elementBytes);
            }
            commands = new VkCommands(vk, 16, QUERIES);
            commandBuffer = vk.newCommandBuffer();
            // zero every activation once: the padding is read as the convolutions' zero border
            commands.record(commandBuffer, cb -> {
                for (VkBuf a : acts) {
                    commands.fill(cb, a, 0);
                }
            });
            vk.submitAndWait(commandBuffer, "clearing the CNN's activations");
            commands.record(commandBuffer, cb -> {
                commands.resetQueries(cb);
                commands.timestamp(cb, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0);
                commands.copy(cb, hostParams, deviceParams, paramBytes);
                if (!sharedInput) {
                    commands.copy(cb, hostIn, devIn, 4L * featureChannels * h * w);
                }
                commands.barrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
                commands.timestamp(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, 1);
                commands.dispatch(cb, pack, new Slice[] {Slice.of(devIn), Slice.of(acts[0])},
                        new int[] {h, w, wp, featureChannels, paddedInput}, groups((long) h * w, 256), 1);
                commands.timestamp(cb, 2);
                int in = paddedInput;
                for (int i = 0; i < HIDDEN.length; i++) {
                    Slice weights = new Slice(deviceParams, weightOffset[i], 9L * in * HIDDEN[i] * elementBytes);
                    Slice bias = new Slice(deviceParams, biasOffset[i], 16L * HIDDEN[i] * 4);
                    Slice[] bufs = {Slice.of(acts[i]), weights, bias, Slice.of(acts[i + 1])};
                    if (precision == Precision.FP16_COOPMAT) {
                        int xBlocks = (wp - 2) / tiling.pixelsPerBlock();
                        int nt = tiling.nt(HIDDEN[i]);
                        commands.dispatch(cb, convs[i], bufs, new int[] {h, w, wp, xBlocks}, tiling.groups(h, xBlocks),
                                HIDDEN[i] / (16 * nt));
                        if (wp - 2 > w) {
                            int cols = wp - w - 1;
                            commands.dispatch(cb, zeroColumns, new Slice[] {Slice.of(acts[i + 1])},
                                    new int[] {h, w, wp, HIDDEN[i]}, groups((long) h * cols * HIDDEN[i], 256), 1);
                        }
                    } else {
                        commands.dispatch(cb, convs[i], bufs, new int[] {h, w, wp}, groups((long) h * w, 64),
                                HIDDEN[i] / 16);
                    }
                    commands.timestamp(cb, 3 + i);
                    in = HIDDEN[i];
                }
                commands.dispatch(cb, head, new Slice[] {Slice.of(acts[HIDDEN.length]),
                        new Slice(deviceParams, headOffset, (3L * in + 3) * 4), Slice.of(devRgb)},
                        new int[] {h, w, wp}, groups((long) h * w, 256), 1);
                commands.timestamp(cb, QUERIES - 2);
                commands.copy(cb, devRgb, hostRgb, 12L * h * w);
                commands.timestamp(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, QUERIES - 1);
                commands.barrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
            });
        }

        private VkBuf device(String name, long bytes) {
            VkBuf b = new VkBuf(vk, name, bytes, false);
            deviceBuffers.add(b);
            return b;
        }

        @Override
        public void close() {
            vk.freeCommandBuffer(commandBuffer);
            commands.close();
            hostIn.close();
            hostRgb.close();
            deviceBuffers.forEach(VkBuf::close);
        }
    }

    static int groups(long items, int perGroup) {
        long g = (items + perGroup - 1) / perGroup;
        if (g > 65535) {
            throw new VkException("dispatch of " + items + " items is too large");
        }
        return (int) g;
    }

    @Override
    public synchronized void close() {
        if (plan != null) {
            plan.close();
            plan = null;
        }
        hostParams.close();
        deviceParams.close();
    }
}
