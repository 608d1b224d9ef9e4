package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.vulkan.VK10.VK_ACCESS_TRANSFER_WRITE_BIT;
import static org.lwjgl.vulkan.VK10.VK_PIPELINE_STAGE_TRANSFER_BIT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.lwjgl.vulkan.VkCommandBuffer;
import org.portraitgen.field.gl.internal.vk.VkCommands.Slice;
import org.portraitgen.field.internal.cnn.Conv2d;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The neural renderer's forward and backward in Vulkan compute, for training: the parameters and their gradients are
 * flat fp32 buffers in the order of {@link NeuralRenderer#parameters()} (what the GL trainer's Adam and finite checks
 * work on), the images crossing to the rasterizer and the losses are planar fp32. Inside, as {@link VkCnn}: with
 * {@link VkCnn.Precision#FP16_COOPMAT} every 3x3 layer runs on the tensor cores, forward, input gradient (the same
 * implicit GEMM with the flipped, transposed kernel and the ReLU mask fused) and weight gradient (a GEMM over the
 * pixels, per chunk of rows, then reduced), with fp16 activations and gradients and fp32 accumulation; FP32 runs
 * plain kernels on the same layouts (lavapipe in CI).
 *
 * <p>fp16 gradients need loss scaling: dL/dRGB of one pixel is about 1/(H W). Each backward finds the largest
 * |dL/d(pre-sigmoid)| of its image on the GPU and scales the gradients by the power of two that brings it to 64 (1000
 * times below fp16's largest value); the weight gradients and dL/dfeatures are divided by it again in fp32.
 *
 * <p>The buffers that other code reads or writes (parameters, gradients, features, RGB, dL/dRGB, dL/dfeatures) are
 * {@link Io#EXPORTABLE} device memory for OpenGL to import, or {@link Io#HOST_VISIBLE} mapped memory the host copies
 * through (tests, and GL contexts that cannot import). One plan per image size; each slot's forward and backward are
 * recorded once and re-submitted. Frames go through in slots: a forward or backward of n frames is one submission of slots 0
 * to n - 1, each slot keeping its own activations from its forward to its backward (so a trainer crosses between
 * the APIs once per pass of a batch, not once per frame).
 */
public final class VkTrainingCnn implements AutoCloseable {
    public enum Io {
        EXPORTABLE, HOST_VISIBLE
    }

    /**
     * Subgroups a weight-gradient dispatch aims for, so the small layers still fill the GPU: on the H100 2048 / 4096 /
     * 8192 / 16384 / 32768 gave a backward of 3.71 / 3.25 / 3.15 / 3.18 / 3.33 ms at 512².
     */
    private static final int WGRAD_SUBGROUPS = 8192;


    private static final VkCnn.Tiling TILING = VkCnn.Tiling.DEFAULT;

    private final VkCompute vk;
    private final VkCnn.Precision precision;
    private final Io io;
    private final int featureChannels;
    private final int hidden;
    private final int[] cin;
    private final int[] cinPadded;
    private final int[] cout;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int parameterCount;
    private final int elementBytes;
    private final long[] packedForward;
    private final long[] packedBackward;
    private final long[] packedBias;
    private final VkBuf params;
    private final VkBuf grads;
    private final VkBuf packed;
    private final VkBuf scale;
    private final VkCompute.Pipeline packWeights;
    private final VkCompute.Pipeline packFeatures;
    private final VkCompute.Pipeline zeroColumns;
    private final VkCompute.Pipeline head;
    private final VkCompute.Pipeline headMax;
    private final VkCompute.Pipeline headBackward;
    private final VkCompute.Pipeline reduceHead;
    private final VkCompute.Pipeline reduceConv;
    private final VkCompute.Pipeline unpack;
    private final VkCompute.Pipeline[] convForward;
    private final VkCompute.Pipeline[] convInputGrad;
    private final VkCompute.Pipeline[] convWeightGrad;
    private final VkCompute.Pipeline[] channelSums;
    private final int[] wgradTiles;
    private Plan plan;

    public VkTrainingCnn(VkCompute vk, int featureChannels, VkCnn.Precision precision, Io io) {
        if (precision == VkCnn.Precision.FP16_COOPMAT && !vk.capabilities().tensorCores()) {
            throw new VkException("Vulkan device " + vk.capabilities().deviceName()
                    + " has no fp16 16x16x16 cooperative matrices with subgroups of 32");
        }
        if (io == Io.EXPORTABLE && !vk.capabilities().externalMemoryFd()) {
            throw new VkException("Vulkan device " + vk.capabilities().deviceName()
                    + " has no VK_KHR_external_memory_fd: the CNN's buffers cannot be shared with OpenGL");
        }
        if (vk.capabilities().subgroupSize() < 8) {
            // head_backward.comp keeps one row of sums per subgroup of its 256 invocations, for at most 32 of them
            throw new VkException("Vulkan device " + vk.capabilities().deviceName() + " has subgroups of "
                    + vk.capabilities().subgroupSize() + "; the training CNN needs at least 8");
        }
        this.vk = vk;
        this.precision = precision;
        this.io = io;
        this.featureChannels = featureChannels;
        this.elementBytes = precision == VkCnn.Precision.FP16_COOPMAT ? 2 : 4;
        NeuralRenderer shape = new NeuralRenderer(featureChannels);
        int n = shape.layers.length;
        hidden = n - 1;
        Conv2d last = shape.layers[hidden];
        if (last.kernel != 1 || last.outChannels != 3) {
            throw new IllegalStateException("the Vulkan CNN expects a 1x1 RGB head, the renderer ends in a "
                    + last.kernel + "x" + last.kernel + " layer to " + last.outChannels + " channels");
        }
        cin = new int[n];
        cinPadded = new int[n];
        cout = new int[n];
        weightOffset = new int[n];
        biasOffset = new int[n];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            Conv2d c = shape.layers[i];
            if (i < hidden && (c.kernel != 3 || c.outChannels % 16 != 0 || c.outChannels > 256)) {
                throw new IllegalStateException("the Vulkan CNN expects 3x3 hidden layers of multiples of 16 "
                        + "channels up to 256, layer " + i + " is " + c.kernel + "x" + c.kernel + " to " + c.outChannels);
            }
            cin[i] = c.inChannels;
            cinPadded[i] = VkCnn.roundUp(c.inChannels, 16);
            cout[i] = c.outChannels;
            weightOffset[i] = offset;
            offset += c.weights.length;
            biasOffset[i] = offset;
            offset += c.bias.length;
        }
        parameterCount = offset;
        long align = vk.storageOffsetAlignment();
        packedForward = new long[hidden];
        packedBackward = new long[hidden];
        packedBias = new long[hidden];
        long at = 0;
        for (int i = 0; i < hidden; i++) {
            long weights = 9L * cinPadded[i] * cout[i] * elementBytes;
            packedForward[i] = at;
            at = VkCnn.roundUp(at + weights, align);
            packedBackward[i] = at;
            at = VkCnn.roundUp(at + weights, align);
            packedBias[i] = at;
            at = VkCnn.roundUp(at + 16L * cout[i] * 4, align);
        }
        if (4L * weightOffset[hidden] % align != 0) {
            throw new IllegalStateException("the RGB head's parameters start at byte " + 4L * weightOffset[hidden]
                    + ", not a multiple of the device's storage offset alignment " + align);
        }
        params = shared("CNN parameters", 4L * parameterCount);
        grads = shared("CNN gradients", 4L * parameterCount);
        packed = new VkBuf(vk, "CNN parameters in the kernels' layouts", at, false);
        scale = new VkBuf(vk, "CNN loss scale", 16, false);

        boolean fp16 = precision == VkCnn.Precision.FP16_COOPMAT;
        Map<String, String> act = fp16 ? Map.of("FP16", "1") : Map.of();
        packWeights = vk.pipeline("vk/pack_weights.comp", act, 4);
        packFeatures = vk.pipeline("vk/pack.comp", act, 2);
        zeroColumns = vk.pipeline("vk/zero_columns.comp", act, 1);
        int lastIn = cin[hidden];
        head = vk.pipeline("vk/head.comp", with(act, "CIN", "" + lastIn), 3);
        headMax = vk.pipeline("vk/head_backward.comp", with(with(act, "CIN", "" + lastIn), "MAX_PASS", "1"), 7);
        headBackward = vk.pipeline("vk/head_backward.comp", with(act, "CIN", "" + lastIn), 7);
        reduceHead = vk.pipeline("vk/reduce_gradients.comp", Map.of(), 3);
        reduceConv = vk.pipeline("vk/reduce_gradients.comp", Map.of("CONV", "1"), 3);
        unpack = vk.pipeline("vk/unpack_gradient.comp", Map.of(), 3);
        convForward = new VkCompute.Pipeline[hidden];
        convInputGrad = new VkCompute.Pipeline[hidden];
        convWeightGrad = new VkCompute.Pipeline[hidden];
        channelSums = new VkCompute.Pipeline[hidden];
        wgradTiles = new int[hidden];
        for (int i = 0; i < hidden; i++) {
            int in = cinPadded[i];
            int out = cout[i];
            if (fp16) {
                convForward[i] = vk.pipeline(TILING.kernel().shader, rows(in, out, false, false), 4);
                convInputGrad[i] = vk.pipeline(TILING.kernel().shader, rows(out, in, true, i == 0), 4);
                // up to 4 x 4 tiles per subgroup: on the H100 4 x 4 against 2 x 4 took layer 1's weight gradient
                // from 0.80 to 0.69 ms and layer 2's from 0.35 to 0.29; 2 x 8 for layer 0 was slower (0.49 vs 0.47)
                int mt = tilesDividing(in / 16, 4);
                int nt = tilesDividing(out / 16, 4);
                wgradTiles[i] = mt * 100 + nt;
                // staging A and B in shared memory for all 9 taps of a group measured no faster on the H100
                // (layer 1: 0.900 vs 0.907 ms), so each subgroup loads its tiles from global memory
                convWeightGrad[i] = vk.pipeline("vk/conv3x3_wgrad_coopmat.comp", Map.of("CIN", "" + in, "COUT",
                        "" + out, "MT", "" + mt, "NT", "" + nt), 3);
            } else {
                convForward[i] = vk.pipeline("vk/conv3x3_fp32.comp", Map.of("CIN", "" + in, "COUT", "" + out), 4);
                Map<String, String> bwd = new HashMap<>(Map.of("CIN", "" + out, "COUT", "" + in, "BACKWARD", "1"));
                if (i == 0) {
                    bwd.put("OUT_FP32", "1");
                }
                convInputGrad[i] = vk.pipeline("vk/conv3x3_fp32.comp", bwd, 4);
                convWeightGrad[i] = vk.pipeline("vk/conv3x3_wgrad_fp32.comp", Map.of("CIN", "" + in, "COUT",
                        "" + out), 3);
            }
            channelSums[i] = vk.pipeline("vk/channel_sums.comp", with(act, "COUT", "" + out), 2);
        }
    }

    private Map<String, String> rows(int in, int out, boolean backward, boolean outFp32) {
        Map<String, String> d = new HashMap<>(Map.of("CIN", "" + in, "COUT", "" + out, "MT", "" + TILING.mt(),
                "NT", "" + tilesDividing(out / 16, TILING.maxNt()), "SUBGROUPS", "" + TILING.subgroups(),
                "STAGE_B", "1"));
        if (backward) {
            d.put("BACKWARD", "1");
        }
        if (outFp32) {
            d.put("OUT_FP32", "1");
        }
        return d;
    }

    /** The largest of max, max/2, ..., 1 that divides {@code tiles}. */
    private static int tilesDividing(int tiles, int max) {
        int t = max;
        while (tiles % t != 0) {
            t /= 2;
        }
        return t;
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> copy = new HashMap<>(m);
        copy.put(k, v);
        return copy;
    }

    private VkBuf shared(String name, long bytes) {
        return io == Io.EXPORTABLE ? new VkBuf(vk, name, bytes, false, true) : new VkBuf(vk, name, bytes, true);
    }

    public int featureChannels() {
        return featureChannels;
    }

    public int parameterCount() {
        return parameterCount;
    }

    public VkCnn.Precision precision() {
        return precision;
    }

    public Io io() {
        return io;
    }

    /** Flat fp32 parameters, {@link NeuralRenderer#parameters()} order; read by every forward. */
    public VkBuf parameters() {
        return params;
    }

    /** Flat fp32 gradients, same order; every backward adds into them. */
    public VkBuf gradients() {
        return grads;
    }

    /** The buffers of one image size that others write or read: planar fp32. */
    public record Images(VkBuf features, VkBuf rgb, VkBuf rgbGradient, VkBuf featureGradient) {
    }

    /** The image buffers of frame slot 0 at size {@code h} x {@code w} (see {@link #images(int, int, int)}). */
    public synchronized Images images(int h, int w) {
        return images(h, w, 0);
    }

    /**
     * The image buffers of frame slot {@code slot} at size {@code h} x {@code w}: each slot keeps its own
     * activations from its forward to its backward. Buffers are allocated (the old size's freed) when the size
     * changes or when a slot beyond the allocated ones is asked for.
     */
    public synchronized Images images(int h, int w, int slot) {
        return plan(h, w, slot + 1).frames[slot].images;
    }

    /** RGB of the features in slot 0's {@link Images#features()} through the parameters in {@link #parameters()}. */
    public synchronized void forward(int h, int w) {
        forward(h, w, 1);
    }

    /** The forward of slots 0 to {@code frames - 1}, in one submission. */
    public synchronized void forward(int h, int w, int frames) {
        Plan p = plan(h, w, frames);
        VkCommandBuffer[] cbs = new VkCommandBuffer[frames];
        for (int k = 0; k < frames; k++) {
            cbs[k] = p.frames[k].forward;
        }
        p.forwardFrames = 0;
        vk.submitAndWait(cbs, "CNN training forward of " + frames + " frame(s) " + w + "x" + h);
        p.forwardFrames = frames;
        p.lastFrames = frames;
    }

    /**
     * Backward of the last forward (same size) from dL/dRGB in slot 0's {@link Images#rgbGradient()}: adds the
     * parameter gradients into {@link #gradients()} and writes dL/dfeatures into {@link Images#featureGradient()}.
     */
    public synchronized void backward(int h, int w) {
        backward(h, w, 1);
    }

    /** The backward of slots 0 to {@code frames - 1} (each from its own last forward), in one submission. */
    public synchronized void backward(int h, int w, int frames) {
        Plan p = plan(h, w, frames);
        if (p.forwardFrames < frames) {
            throw new IllegalStateException("CNN backward of " + frames + " frame(s) at " + w + "x" + h
                    + " after a forward of " + p.forwardFrames);
        }
        VkCommandBuffer[] cbs = new VkCommandBuffer[frames];
        for (int k = 0; k < frames; k++) {
            cbs[k] = p.frames[k].backward;
        }
        vk.submitAndWait(cbs, "CNN training backward of " + frames + " frame(s) " + w + "x" + h);
        p.lastFrames = frames;
    }

    /** GPU milliseconds of the last forward and backward, from their timestamps, summed over their frames. */
    public synchronized double[] lastMillis() {
        if (plan == null) {
            throw new IllegalStateException("no pass yet");
        }
        double[] ms = new double[2];
        for (int k = 0; k < Math.max(1, plan.lastFrames); k++) {
            ms[0] += plan.frames[k].commands.millis(0, 1);
            ms[1] += plan.frames[k].commands.millis(2, 3);
        }
        return ms;
    }

    /**
     * GPU milliseconds of slot 0's last backward's stages: the head (loss scale, last layer), then per 3x3 layer from
     * the last to the first its weight + bias gradients and its input gradient, then dL/dfeatures' unpacking.
     */
    public synchronized String lastBackwardStages() {
        if (plan == null) {
            throw new IllegalStateException("no pass yet");
        }
        VkCommands commands = plan.frames[0].commands;
        StringBuilder b = new StringBuilder(String.format("head %.3f", commands.millis(2, 4)));
        int previous = 4;
        for (int k = 0; k < hidden; k++) {
            int layer = hidden - 1 - k;
            b.append(String.format(", layer %d weights %.3f input %.3f", layer,
                    commands.millis(previous, 5 + 2 * k), commands.millis(5 + 2 * k, 6 + 2 * k)));
            previous = 6 + 2 * k;
        }
        return b.append(String.format(", unpack %.3f", commands.millis(previous, 3))).toString();
    }

    /** Device memory one frame slot takes at size {@code h} x {@code w}: its images and its activations. */
    public long slotBytes(int h, int w) {
        long plane = (h + 2L) * paddedRow(w);
        long pixels = (long) h * w;
        long bytes = 2 * 4L * featureChannels * pixels + 2 * 12L * pixels;
        for (int i = 0; i <= hidden; i++) {
            bytes += plane * activationChannels(i) * elementBytes;
        }
        return bytes;
    }

    /** Floats per row of the activations: the matrix kernels write whole tiles of pixels, plus the zero border. */
    private int paddedRow(int w) {
        return (precision == VkCnn.Precision.FP16_COOPMAT ? VkCnn.roundUp(w, TILING.pixelsPerBlock()) : w) + 2;
    }

    /** Channels of layer i's input in the activation layout (the features padded to the matrix tiles). */
    private int activationChannels(int i) {
        return i == 0 ? cinPadded[0] : cin[i];
    }

    /** Device memory held, bytes. */
    public synchronized long deviceBytes() {
        long n = params.size() + grads.size() + packed.size() + scale.size();
        if (plan != null) {
            for (VkBuf b : plan.buffers) {
                n += b.size();
            }
        }
        return n;
    }

    private Plan plan(int h, int w, int frames) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("image size " + w + "x" + h);
        }
        if (frames <= 0) {
            throw new IllegalArgumentException(frames + " frames");
        }
        if (plan != null && plan.h == h && plan.w == w && plan.frames.length >= frames) {
            return plan;
        }
        int slots = plan != null && plan.h == h && plan.w == w ? Math.max(frames, plan.frames.length) : frames;
        if (plan != null) {
            plan.close();
            plan = null;
        }
        plan = new Plan(h, w, slots);
        return plan;
    }

    /** Work groups of layer i's weight-gradient dispatch per chunk of rows. */
    private int wgradGroups(int i) {
        if (precision != VkCnn.Precision.FP16_COOPMAT) {
            return VkCnn.groups(9L * cinPadded[i] * cout[i], 64);
        }
        int blocks = (cinPadded[i] / (16 * (wgradTiles[i] / 100))) * (cout[i] / (16 * (wgradTiles[i] % 100)));
        return 9 * blocks;
    }

    /**
     * Buffers and the recorded forward and backward of one image size: per frame slot the images and activations
     * (kept from a slot's forward to its backward) and two command buffers; the backward's scratch is shared, as the
     * slots' backwards run one after another in one queue.
     */
    private final class Plan implements AutoCloseable {
        final int h;
        final int w;
        final int wp;
        final List<VkBuf> buffers = new ArrayList<>();
        final Frame[] frames;
        final VkBuf[] actGrads = new VkBuf[hidden + 1];
        final VkBuf firstGrad;
        final VkBuf partial;
        final int[] chunkRows = new int[hidden];
        final int[] chunks = new int[hidden];
        /** Slots whose activations are from a forward at this size. */
        int forwardFrames;
        /** Slots of the last submission (whose timestamps {@link #lastMillis} reads). */
        int lastFrames;

        /** One frame slot: what its backward needs from its forward, and its recorded passes. */
        final class Frame {
            final Images images;
            final VkBuf[] acts = new VkBuf[hidden + 1];
            final VkCommands commands;
            final VkCommandBuffer forward;
            final VkCommandBuffer backward;

            Frame(int slot) {
                long plane = (long) (h + 2) * wp;
                long pixels = (long) h * w;
                String of = " (frame slot " + slot + ")";
                images = new Images(keep(shared("CNN features" + of, 4L * featureChannels * pixels)),
                        keep(shared("CNN rgb" + of, 12L * pixels)), keep(shared("CNN dL/dRGB" + of, 12L * pixels)),
                        keep(shared("CNN dL/dfeatures" + of, 4L * featureChannels * pixels)));
                for (int i = 0; i <= hidden; i++) {
                    acts[i] = keep(new VkBuf(vk, "CNN layer " + i + " input" + of,
                            plane * activationChannels(i) * elementBytes, false));
                }
                commands = new VkCommands(vk, 64, 5 + 2 * hidden);
                forward = vk.newCommandBuffer();
                backward = vk.newCommandBuffer();
                // slot 0 runs first in every submission: it packs the weights for all
                boolean packs = slot == 0;
                commands.record(forward, cb -> recordForward(cb, this, packs));
                commands.record(backward, cb -> recordBackward(cb, this));
            }

            void close() {
                vk.freeCommandBuffer(forward);
                vk.freeCommandBuffer(backward);
                commands.close();
            }
        }

        Plan(int h, int w, int slots) {
            this.h = h;
            this.w = w;
            this.wp = paddedRow(w);
            long plane = (long) (h + 2) * wp;
            long pixels = (long) h * w;
            for (int i = 1; i <= hidden; i++) {
                actGrads[i] = keep(new VkBuf(vk, "CNN layer " + i + " input gradient", plane * cin[i] * elementBytes,
                        false));
            }
            firstGrad = keep(new VkBuf(vk, "CNN layer 0 input gradient", plane * cinPadded[0] * 4L, false));
            long partialFloats = (long) VkCnn.groups(pixels, 256) * (3L * cin[hidden] + 3);
            for (int i = 0; i < hidden; i++) {
                int wanted = Math.max(1, Math.min(h, (WGRAD_SUBGROUPS + wgradGroups(i) - 1) / wgradGroups(i)));
                chunkRows[i] = (h + wanted - 1) / wanted;
                chunks[i] = (h + chunkRows[i] - 1) / chunkRows[i];
                partialFloats = Math.max(partialFloats, (long) chunks[i] * layerStride(i));
            }
            partial = keep(new VkBuf(vk, "CNN gradient partial sums", 4L * partialFloats, false));
            frames = new Frame[slots];
            try {
                for (int k = 0; k < slots; k++) {
                    frames[k] = new Frame(k);
                }
                // zero every activation and gradient once: the padding is read as the convolutions' zero border
                VkCommandBuffer clear = vk.newCommandBuffer();
                try {
                    frames[0].commands.record(clear, cb -> {
                        for (VkBuf b : buffers) {
                            frames[0].commands.fill(cb, b, 0);
                        }
                    });
                    vk.submitAndWait(clear, "clearing the CNN's buffers");
                } finally {
                    vk.freeCommandBuffer(clear);
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private VkBuf keep(VkBuf b) {
            buffers.add(b);
            return b;
        }

        /** Floats per chunk in the partial sums of 3x3 layer i: the weights [9][CINP][COUT], then the bias. */
        private long layerStride(int i) {
            return 9L * cinPadded[i] * cout[i] + cout[i];
        }

        private void recordForward(VkCommandBuffer cb, Frame f, boolean packWeightsFirst) {
            VkCommands commands = f.commands;
            VkBuf[] acts = f.acts;
            Images images = f.images;
            commands.resetQueries(cb);
            commands.timestamp(cb, 0);
            for (int i = 0; packWeightsFirst && i < hidden; i++) {
                long weights = 9L * cinPadded[i] * cout[i] * elementBytes;
                commands.dispatch(cb, packWeights, new Slice[] {Slice.of(params),
                        new Slice(packed, packedForward[i], weights), new Slice(packed, packedBackward[i], weights),
                        new Slice(packed, packedBias[i], 16L * cout[i] * 4)},
                        new int[] {cin[i], cinPadded[i], cout[i], weightOffset[i], biasOffset[i]},
                        VkCnn.groups(Math.max(9L * cinPadded[i] * cout[i], 16L * cout[i]), 256), 1);
            }
            commands.dispatch(cb, packFeatures, new Slice[] {Slice.of(images.features()), Slice.of(acts[0])},
                    new int[] {h, w, wp, featureChannels, cinPadded[0]}, VkCnn.groups((long) h * w, 256), 1);
            for (int i = 0; i < hidden; i++) {
                long weights = 9L * cinPadded[i] * cout[i] * elementBytes;
                conv(cb, commands, convForward[i], acts[i], new Slice(packed, packedForward[i], weights),
                        new Slice(packed, packedBias[i], 16L * cout[i] * 4), acts[i + 1], cout[i]);
                if (wp - 2 > w) {
                    int cols = wp - w - 1;
                    commands.dispatch(cb, zeroColumns, new Slice[] {Slice.of(acts[i + 1])},
                            new int[] {h, w, wp, cout[i]}, VkCnn.groups((long) h * cols * cout[i], 256), 1);
                }
            }
            commands.dispatch(cb, head, new Slice[] {Slice.of(acts[hidden]), headParams(Slice.of(params)),
                    Slice.of(images.rgb())}, new int[] {h, w, wp}, VkCnn.groups((long) h * w, 256), 1);
            commands.timestamp(cb, 1);
        }

        private Slice headParams(Slice flat) {
            return new Slice(flat.buf(), 4L * weightOffset[hidden], 4L * (3L * cin[hidden] + 3));
        }

        private void recordBackward(VkCommandBuffer cb, Frame f) {
            VkCommands commands = f.commands;
            VkBuf[] acts = f.acts;
            Images images = f.images;
            // no query reset: the slot's forward reset them all, and its timestamps 0 and 1 must survive
            commands.timestamp(cb, 2);
            commands.fill(cb, scale, 0);
            commands.barrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
            int pixelGroups = VkCnn.groups((long) h * w, 256);
            Slice[] headBufs = {Slice.of(acts[hidden]), headParams(Slice.of(params)), Slice.of(images.rgb()),
                    Slice.of(images.rgbGradient()), Slice.of(actGrads[hidden]), Slice.of(partial), Slice.of(scale)};
            commands.dispatch(cb, headMax, headBufs, new int[] {h, w, wp}, pixelGroups, 1);
            commands.dispatch(cb, headBackward, headBufs, new int[] {h, w, wp}, pixelGroups, 1);
            int headCount = 3 * cin[hidden] + 3;
            commands.dispatch(cb, reduceHead, new Slice[] {Slice.of(partial), Slice.of(grads), Slice.of(scale)},
                    new int[] {headCount, pixelGroups, headCount, weightOffset[hidden], 0, 0, 0},
                    VkCnn.groups(headCount, 32), 1);
            commands.timestamp(cb, 4);
            for (int i = hidden - 1; i >= 0; i--) {
                VkBuf outGrad = actGrads[i + 1];
                int stride = (int) layerStride(i);
                commands.dispatch(cb, convWeightGrad[i], new Slice[] {Slice.of(acts[i]), Slice.of(outGrad),
                        Slice.of(partial)}, new int[] {h, w, wp, chunkRows[i], stride}, wgradGroups(i), chunks[i]);
                commands.dispatch(cb, channelSums[i], new Slice[] {Slice.of(outGrad), Slice.of(partial)},
                        new int[] {h, w, wp, chunkRows[i], stride, 9 * cinPadded[i] * cout[i]}, 1, chunks[i]);
                int count = cout[i] * cin[i] * 9 + cout[i];
                commands.dispatch(cb, reduceConv, new Slice[] {Slice.of(partial), Slice.of(grads), Slice.of(scale)},
                        new int[] {count, chunks[i], stride, weightOffset[i], cin[i], cinPadded[i], cout[i]},
                        VkCnn.groups(stride, 32), 1);
                commands.timestamp(cb, 5 + 2 * (hidden - 1 - i));
                long weights = 9L * cinPadded[i] * cout[i] * elementBytes;
                // the input gradient of layer i, masked by the ReLU that made layer i's input (none for the features)
                VkBuf inGrad = i == 0 ? firstGrad : actGrads[i];
                conv(cb, commands, convInputGrad[i], outGrad, new Slice(packed, packedBackward[i], weights),
                        Slice.of(acts[i]), inGrad, cinPadded[i]);
                commands.timestamp(cb, 6 + 2 * (hidden - 1 - i));
            }
            commands.dispatch(cb, unpack, new Slice[] {Slice.of(firstGrad), Slice.of(images.featureGradient()),
                    Slice.of(scale)}, new int[] {h, w, wp, featureChannels, cinPadded[0]},
                    VkCnn.groups((long) h * w, 256), 1);
            commands.timestamp(cb, 3);
        }

        private void conv(VkCommandBuffer cb, VkCommands commands, VkCompute.Pipeline p, VkBuf in, Slice weights,
                Slice third, VkBuf out, int outChannels) {
            Slice[] bufs = {Slice.of(in), weights, third, Slice.of(out)};
            if (precision == VkCnn.Precision.FP16_COOPMAT) {
                int xBlocks = (wp - 2) / TILING.pixelsPerBlock();
                int nt = tilesDividing(outChannels / 16, TILING.maxNt());
                commands.dispatch(cb, p, bufs, new int[] {h, w, wp, xBlocks}, TILING.groups(h, xBlocks),
                        outChannels / (16 * nt));
            } else {
                commands.dispatch(cb, p, bufs, new int[] {h, w, wp}, VkCnn.groups((long) h * w, 64),
                        outChannels / 16);
            }
        }

        @Override
        public void close() {
            if (frames != null) {
                for (Frame f : frames) {
                    if (f != null) {
                        f.close();
                    }
                }
            }
            buffers.forEach(VkBuf::close);
        }
    }

    @Override
    public synchronized void close() {
        if (plan != null) {
            plan.close();
            plan = null;
        }
        params.close();
        grads.close();
        packed.close();
        scale.close();
    }
}
