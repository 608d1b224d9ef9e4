package org.portraitgen.field.gl.internal.train;

import static org.lwjgl.opengl.GL43C.*;

import java.util.ArrayList;
import java.util.List;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.core.ImageMetrics;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GlHostInts;
import org.portraitgen.field.gl.internal.GpuFill;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.cnn.TrainerCnn;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.gl.internal.vk.GlVkTrainerCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.loss.Adam;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.train.FieldTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.NonFiniteException;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The training step of the CPU {@code Trainer} with everything on the GPU: per frame only the rig's vertices go
 * up; the triangle binding poses the Gaussians (triangle frames, local → world), then rasterize → neural renderer
 * → L1, D-SSIM, feature-L1 and mask losses → CNN backward → rasterizer backward → binding backward, batch-
 * accumulated; then the regularisers, the checks (every group's gradients finite, the loss finite, every frame's
 * tile pairs within the rasterizer's buffers, no degenerate triangle) and Adam for the Gaussians and the renderer,
 * which skips itself on the GPU when a check failed. Per step the host reads a few ints once, after the update:
 * the flags, the loss and per frame its pair count and posing status. Targets and masks go up on a frame's first
 * step and stay on the GPU ({@link GpuImageCache}).
 *
 * <p>The batch goes through each stage a group of frames at a time, as many as the CNN has frame slots (each slot
 * with its own rasterizer and posed rig): with the Vulkan CNN that is one GL → Vulkan hand-over per pass of a group
 * instead of one per frame.
 *
 * <p>The Gaussians' local parameters, the renderer's parameters and all Adam moments live on the GPU between
 * steps, in float32 (the CPU reference is double); {@link #field()} and {@link #optimiser()} bring them back to the
 * host in the CPU Trainer's groups, and a step after {@link #optimiser()} sends the host state up again (a restored
 * checkpoint writes into it).
 */
public final class GlTrainer implements FieldTrainer {
    /** Where each optimiser group lives on the GPU: in the Gaussians' or the renderer's flat buffers, from offset. */
    private record Slot(Adam.Group group, boolean renderer, int offset) {
    }

    private final GlContext gl;
    private final GaussianField field;
    private final LossWeights weights;
    private final GaussianLayout layout;
    private final Adam adam = new Adam();
    private final List<Slot> slots = new ArrayList<>();
    private final TrainerCnn cnn;
    private final GlLosses losses;
    private final GlAdam gpuAdam;
    /** Per frame slot of the CNN: what a frame needs from its forward to its backward (made on first use). */
    private final List<FrameSlot> frameSlots = new ArrayList<>();
    /** Where a step's checks are read: its flags, its loss, and per frame slot its pair count and posing status. */
    private GlHostInts stepChecks;
    private int stepChecksWords;
    private long stepsTakenAgain;
    /** The frames' targets and masks, kept on the GPU from step to step. */
    private final GpuImageCache images = new GpuImageCache("training image", GpuImageCache.budgetRequested());
    private final GlBuffer adamM = new GlBuffer("renderer Adam m");
    private final GlBuffer adamV = new GlBuffer("renderer Adam v");
    private final GlBuffer gaussians = new GlBuffer("Gaussians' local parameters");
    private final GlBuffer gaussianGrads = new GlBuffer("Gaussians' local gradients");
    private final GlBuffer gaussianM = new GlBuffer("Gaussians' Adam m");
    private final GlBuffer gaussianV = new GlBuffer("Gaussians' Adam v");
    private StageMarks marks = StageMarks.NONE;

    /** One frame's GPU state through a step: its posed rig, its rasterization and its dL/dRGB. */
    private record FrameSlot(GlRasterizer rasterizer, GlBinding binding, GlBuffer vRgb) implements AutoCloseable {
        static FrameSlot open(GlContext gl, GaussianField field, int slot) {
            return new FrameSlot(new GlRasterizer(gl), new GlBinding(gl.shaders(), field.binding),
                    new GlBuffer("dL/dRGB (frame slot " + slot + ")"));
        }

        long bufferBytes() {
            return rasterizer.bufferBytes() + binding.bufferBytes() + vRgb.capacity();
        }

        @Override
        public void close() {
            rasterizer.close();
            binding.close();
            vRgb.close();
        }
    }
    /** The host holds the current parameters and moments (at start, after optimiser()). */
    private boolean hostCurrent = true;
    /** The GPU's parameters are newer than the host's. */
    private boolean gpuNewer;

    /** Called on the GL thread after each stage of a step (the benchmark's GL_TIMESTAMP breakdown). */
    public interface StageMarks {
        StageMarks NONE = stage -> {
        };

        void mark(String stage);
    }

    /** With the CNN {@code -Dportraitgen.gpu.cnn} asks for ({@link GlVkTrainerCnn#open(GlContext, int)}). */
    public GlTrainer(GlContext gl, GaussianField field, LossWeights weights) {
        this(gl, field, weights, channels -> GlVkTrainerCnn.open(gl, channels));
    }

    /** @param cnnFactory makes the renderer's CNN for the given feature channels (called on the GL thread) */
    public GlTrainer(GlContext gl, GaussianField field, LossWeights weights,
            java.util.function.IntFunction<TrainerCnn> cnnFactory) {
        this.gl = gl;
        this.field = field;
        this.weights = weights;
        Gaussians g = field.local;
        layout = new GaussianLayout(g.count, g.channels);
        // the CPU Trainer's groups, in its order, so checkpoints are interchangeable
        Trainer.addGroups(adam, field, weights, new Gaussians(g.count, g.channels), new NeuralRenderer(g.channels));
        List<Adam.Group> groups = adam.groups();
        int rendererOffset = 0;
        for (int i = 0; i < groups.size(); i++) {
            Adam.Group grp = groups.get(i);
            if (i < GaussianLayout.GROUPS) {
                if (grp.m.length != layout.size(i) || isRenderer(grp)) {
                    throw new IllegalStateException("optimiser group " + i + " '" + grp.name + "' does not match "
                            + "the GPU layout of the Gaussians");
                }
                slots.add(new Slot(grp, false, layout.offset(i)));
            } else {
                slots.add(new Slot(grp, true, rendererOffset));
                rendererOffset += grp.m.length;
            }
        }
        if (slots.size() > 29) {
            throw new IllegalStateException(slots.size() + " optimiser groups: the step's flags hold 29 and three "
                    + "other checks");
        }
        Object[] parts = gl.call(() -> {
            frameSlots.add(FrameSlot.open(gl, field, 0));
            TrainerCnn c = cnnFactory.apply(g.channels);
            GlLosses l = new GlLosses(gl.shaders());
            return new Object[] {c, l, new GlAdam(gl.shaders())};
        });
        cnn = (TrainerCnn) parts[0];
        losses = (GlLosses) parts[1];
        gpuAdam = (GlAdam) parts[2];
        if (rendererOffset != cnn.parameterCount()) {
            throw new IllegalStateException("renderer groups hold " + rendererOffset + " parameters, the GPU CNN "
                    + cnn.parameterCount());
        }
    }

    /** The Vulkan CNN's host time split since the last call (see GlVkTrainerCnn), or null with the GL CNN. */
    public String takeCnnHostSplit() {
        return cnn instanceof GlVkTrainerCnn v ? gl.call(v::takeHostSplit) : null;
    }

    /** Steps taken again because a frame outgrew its rasterizer's tile-pair buffers (for tests and benches). */
    public long stepsTakenAgain() {
        return stepsTakenAgain;
    }

    /** What runs the renderer's CNN (GL fp32, or Vulkan on which device and how it shares memory). */
    public String cnnDescription() {
        return cnn.describe();
    }

    /** Reports the stages of following steps to {@code marks} (on the GL thread); null for none. */
    public void setStageMarks(StageMarks marks) {
        this.marks = marks == null ? StageMarks.NONE : marks;
    }

    @Override
    public GaussianField field() {
        syncToHost(false);
        return field;
    }

    @Override
    public Adam optimiser() {
        syncToHost(true);
        hostCurrent = true;
        return adam;
    }

    private static boolean isRenderer(Adam.Group g) {
        return g.name.startsWith(Trainer.RENDERER_GROUP);
    }

    /** Brings the parameters (and, with {@code moments}, Adam's m and v) from the GPU. */
    private void syncToHost(boolean moments) {
        if (!gpuNewer && !(moments && !hostCurrent)) {
            return;
        }
        gl.call(() -> {
            if (gpuNewer) {
                cnn.downloadParameters(field.renderer);
                layout.unflatten(gaussians.readFloats(layout.floats()), field.local);
            }
            if (moments && !hostCurrent) {
                copyMoments(adamM.readFloats(cnn.parameterCount()), gaussianM.readFloats(layout.floats()), true);
                copyMoments(adamV.readFloats(cnn.parameterCount()), gaussianV.readFloats(layout.floats()), false);
            }
            return null;
        });
        gpuNewer = false;
    }

    private void copyMoments(float[] renderer, float[] gaussian, boolean first) {
        for (Slot s : slots) {
            double[] dst = first ? s.group.m : s.group.v;
            float[] src = s.renderer ? renderer : gaussian;
            for (int i = 0; i < dst.length; i++) {
                dst[i] = src[s.offset + i];
            }
        }
    }

    private float[] flatMoments(boolean renderer, boolean first) {
        float[] flat = new float[renderer ? cnn.parameterCount() : layout.floats()];
        for (Slot s : slots) {
            if (s.renderer == renderer) {
                double[] src = first ? s.group.m : s.group.v;
                for (int i = 0; i < src.length; i++) {
                    flat[s.offset + i] = (float) src[i];
                }
            }
        }
        return flat;
    }

    private void uploadHostState() {
        cnn.uploadParameters(field.renderer);
        adamM.upload(flatMoments(true, true));
        adamV.upload(flatMoments(true, false));
        gaussians.upload(layout.flatten(field.local));
        gaussianM.upload(flatMoments(false, true));
        gaussianV.upload(flatMoments(false, false));
        GlBuffer.checkError("uploading the field's parameters and optimiser state");
    }

    private void ensureOnGpu() {
        if (hostCurrent) {
            uploadHostState();
            hostCurrent = false;
        }
    }

    @Override
    public double step(List<TrainingFrame> batch) {
        // frames of one size go through the CNN together, up to its frame slots: one GL → Vulkan hand-over per
        // pass of a group instead of per frame
        List<List<TrainingFrame>> groups = new ArrayList<>();
        for (TrainingFrame f : batch) {
            List<TrainingFrame> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last == null || !sameSize(last.get(0), f)
                    || last.size() == cnn.frameSlots(f.rgb().height(), f.rgb().width())) {
                last = new ArrayList<>();
                groups.add(last);
            }
            last.add(f);
        }
        int slotsUsed = groups.stream().mapToInt(List::size).max().orElse(0);
        gl.call(() -> {
            ensureOnGpu();
            while (frameSlots.size() < slotsUsed) {
                frameSlots.add(FrameSlot.open(gl, field, frameSlots.size()));
            }
            cnn.zeroGradients();
            images.beginStep();
            GpuFill.zero(gl.shaders(), gaussianGrads, 4L * layout.floats());
            losses.begin();
            for (FrameSlot s : frameSlots) {
                s.binding.resetStatus();
            }
            marks.mark("zero gradients");
            return null;
        });
        for (List<TrainingFrame> group : groups) {
            accumulate(group, 1.0 / batch.size());
        }
        // the bias corrections of the step this will be (the host counts it once the GPU has applied it)
        long t = adam.step() + 1;
        double c1 = 1 - Math.pow(Adam.BETA1, t);
        double c2 = 1 - Math.pow(Adam.BETA2, t);
        int lossBit = slots.size();
        int pairsBit = lossBit + 1;
        int poseBit = lossBit + 2;
        Object[] checked = gl.call(() -> {
            losses.regularisers(gaussians, layout.count, weights.offsetWeight(), weights.offsetThreshold(),
                    weights.scaleWeight(), weights.scaleThreshold(), gaussianGrads);
            // every reason not to update, gathered on the GPU: the update below skips itself when one is found,
            // so the host reads the checks once, after the update, instead of the GPU waiting for the host between
            gpuAdam.clearFlags();
            for (int i = 0; i < slots.size(); i++) {
                Slot s = slots.get(i);
                gpuAdam.flagNonFinite(s.renderer ? cnn.gradients() : gaussianGrads, s.offset, s.group.m.length, i);
            }
            gpuAdam.flagNonFinite(losses.gpuTotal(), 0, 1, lossBit);
            for (int k = 0; k < slotsUsed; k++) {
                frameSlots.get(k).rasterizer.flagPairOverflow(gpuAdam.flags(), pairsBit);
                frameSlots.get(k).binding.flagProblem(gpuAdam.flags(), poseBit);
            }
            marks.mark("regularisers + checks");
            for (Slot s : slots) {
                if (s.renderer) {
                    gpuAdam.updateUnlessFlagged(cnn.parameters(), cnn.gradients(), adamM, adamV, s.offset,
                            s.group.m.length, s.group.lr, s.group.eps, c1, c2);
                } else {
                    gpuAdam.updateUnlessFlagged(gaussians, gaussianGrads, gaussianM, gaussianV, s.offset,
                            s.group.m.length, s.group.lr, s.group.eps, c1, c2);
                }
            }
            GlBuffer.checkError("Adam");
            marks.mark("Adam");
            GlHostInts out = stepChecks(2 + 2 * slotsUsed);
            out.copyFrom(gpuAdam.flags(), 0, 0);
            out.copyFrom(losses.gpuTotal(), 0, 1);
            for (int k = 0; k < slotsUsed; k++) {
                frameSlots.get(k).rasterizer.queuePairsCheck(out, 2 + k);
                frameSlots.get(k).binding.queueStatusCopy(out, 2 + slotsUsed + k);
            }
            out.fence();
            int[] words = out.read();
            // every slot's rasterizer is checked (and grown if one of its frames overflowed)
            boolean fit = true;
            for (int k = 0; k < slotsUsed; k++) {
                fit &= frameSlots.get(k).rasterizer.pairsFit(words[2 + k]);
            }
            String problem = null;
            for (int k = 0; k < slotsUsed && problem == null; k++) {
                problem = frameSlots.get(k).binding.problemOf(words[2 + slotsUsed + k]);
            }
            return new Object[] {fit, problem, losses.total(Float.intBitsToFloat(words[1])), words[0]};
        });
        if (!(Boolean) checked[0]) {
            // a frame had more tile pairs than its rasterizer's buffers (which have grown): its render was empty,
            // so the update was skipped and the step is taken again from the start
            stepsTakenAgain++;
            return step(batch);
        }
        if (checked[1] != null) {
            throw new IllegalArgumentException((String) checked[1]);
        }
        double loss = (Double) checked[2];
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("loss is " + loss + " at step " + t);
        }
        // checked before the update on the GPU, so a bad gradient never reached the parameters
        int flags = (Integer) checked[3];
        if (flags != 0) {
            int bit = Integer.numberOfTrailingZeros(flags);
            if (bit < slots.size()) {
                throw new NonFiniteException("gradient of group '" + slots.get(bit).group.name + "' is not finite at"
                        + " step " + t);
            }
            throw new IllegalStateException("the step's update was skipped (flags " + Integer.toBinaryString(flags)
                    + ") with no reason the host sees");
        }
        adam.update(grp -> false); // counts the step; every group was updated on the GPU above
        gpuNewer = true;
        return loss;
    }

    /** The host-mapped ints a step's checks are copied into, for at least {@code words} of them. */
    private GlHostInts stepChecks(int words) {
        if (stepChecks == null || stepChecksWords < words) {
            if (stepChecks != null) {
                stepChecks.close();
            }
            stepChecks = new GlHostInts("training step checks", words);
            stepChecksWords = words;
        }
        return stepChecks;
    }

    private static boolean sameSize(TrainingFrame a, TrainingFrame b) {
        return a.rgb().width() == b.rgb().width() && a.rgb().height() == b.rgb().height();
    }

    /**
     * The forward, losses and backward of frames of one size (at most the CNN's frame slots), frame k in slot k:
     * each stage runs for every frame before the next starts, so the CNN takes them in one pass each way.
     * Parameter gradients add up on the GPU.
     */
    private void accumulate(List<TrainingFrame> group, double scale) {
        int n = group.size();
        Camera[] cams = new Camera[n];
        float[][] vertices = new float[n][];
        String[] where = new String[n];
        for (int k = 0; k < n; k++) {
            TrainingFrame f = group.get(k);
            cams[k] = GaussianField.cameraOf(f.state());
            vertices[k] = f.state().vertices();
            where[k] = "frame " + f.state().frame();
            GlBinding.requireVertices(field.binding, vertices[k], where[k]);
        }
        int w = cams[0].width();
        int h = cams[0].height();
        int plane = w * h;
        int channels = layout.channels;
        gl.call(() -> {
            GlBuffer[] featureImages = new GlBuffer[n];
            GlBuffer[] vRgbs = new GlBuffer[n];
            GlBuffer[] targets = new GlBuffer[n];
            GlBuffer[] masks = new GlBuffer[n];
            for (int k = 0; k < n; k++) {
                FrameSlot s = frameSlots.get(k);
                s.binding.pose(vertices[k], where[k], gaussians, channels, s.rasterizer);
                marks.mark("pose");
                // no wait for the frame's tile-pair count: step() checks once that every frame's pairs fit
                s.rasterizer.queueForward(cams[k]);
                marks.mark("raster forward");
                featureImages[k] = s.rasterizer.featureImage();
                vRgbs[k] = s.vRgb;
                // uploaded on the frame's first step only (the host copies while the GPU rasterizes)
                TrainingFrame f = group.get(k);
                targets[k] = images.get(f.rgb());
                masks[k] = f.mask() == null ? null : images.get(f.mask());
            }
            cnn.forward(featureImages, n, h, w);
            marks.mark("CNN forward");
            for (int k = 0; k < n; k++) {
                FrameSlot s = frameSlots.get(k);
                GpuFill.zero(gl.shaders(), s.vRgb, 4L * 3 * plane);
                losses.l1(cnn.rgb(k), 0, targets[k], 0, 3 * plane, scale * weights.rgbL1(), s.vRgb, 0);
                losses.dssim(cnn.rgb(k), targets[k], 0, 3, h, w, scale * weights.dssim(), s.vRgb);
            }
            marks.mark("losses");
            cnn.backward(vRgbs, n);
            marks.mark("CNN backward");
            for (int k = 0; k < n; k++) {
                FrameSlot s = frameSlots.get(k);
                // dL/dfeatures stays in the CNN's buffer and the feature L1 adds to it in place; dL/d(alpha, depth)
                // has its own buffer, cleared by the forward: no [C+2, H, W] clear and copy per frame
                GlBuffer vFeatures = cnn.featureGradient(k);
                losses.l1(s.rasterizer.featureImage(), 0, targets[k], 0, 3 * plane, scale * weights.featureL1(),
                        vFeatures, 0);
                if (masks[k] != null) {
                    losses.l1(s.rasterizer.auxImage(), 0, masks[k], 0, plane, scale * weights.mask(),
                            s.rasterizer.alphaDepthGradients(), 0);
                }
                s.rasterizer.backwardOnGpu(vFeatures);
                marks.mark("raster backward");
                s.binding.backward(s.rasterizer, channels, gaussianGrads);
                marks.mark("bind backward");
            }
            return null;
        });
    }

    /** Renders the frame with the GPU's current parameters and reads the RGB back (validation only). */
    public float[] render(TrainingFrame f) {
        Camera cam = GaussianField.cameraOf(f.state());
        float[] vertices = f.state().vertices();
        String where = "frame " + f.state().frame();
        GlBinding.requireVertices(field.binding, vertices, where);
        Object[] out = gl.call(() -> {
            ensureOnGpu();
            FrameSlot s = frameSlots.get(0);
            s.binding.resetStatus();
            s.binding.pose(vertices, where, gaussians, layout.channels, s.rasterizer);
            s.rasterizer.forward(cam);
            cnn.forward(s.rasterizer.featureImage(), cam.height(), cam.width());
            float[] rgb = cnn.rgb().readFloats(3 * cam.width() * cam.height());
            return new Object[] {rgb, s.binding.firstProblem()};
        });
        if (out[1] != null) {
            throw new IllegalArgumentException((String) out[1]);
        }
        return (float[]) out[0];
    }

    @Override
    public double psnr(TrainingFrame f) {
        float[] rgb = render(f);
        return ImageMetrics.psnr(new FloatImage(f.rgb().width(), f.rgb().height(), 3, rgb), f.rgb());
    }

    /** GPU memory this trainer holds, bytes. */
    public long bufferBytes() {
        long sum = cnn.bufferBytes() + images.bufferBytes();
        for (FrameSlot s : frameSlots) {
            sum += s.bufferBytes();
        }
        for (GlBuffer b : ownBuffers()) {
            sum += b.capacity();
        }
        return sum;
    }

    private GlBuffer[] ownBuffers() {
        return new GlBuffer[] {adamM, adamV, gaussians, gaussianGrads, gaussianM, gaussianV};
    }

    @Override
    public void close() {
        gl.call(() -> {
            frameSlots.forEach(FrameSlot::close);
            images.close();
            if (stepChecks != null) {
                stepChecks.close();
            }
            cnn.close();
            losses.close();
            gpuAdam.close();
            for (GlBuffer b : ownBuffers()) {
                b.close();
            }
            return null;
        });
    }
}
