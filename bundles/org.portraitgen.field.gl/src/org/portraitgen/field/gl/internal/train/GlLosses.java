package org.portraitgen.field.gl.internal.train;

import static org.lwjgl.opengl.GL43C.glProgramUniform1fv;

import java.util.Map;

import org.portraitgen.core.ImageMetrics;
import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;

/**
 * PortraitGen's reconstruction losses on the GPU (shaders/loss/), term for term the CPU's {@code loss.Losses}: L1
 * and D-SSIM. Each term adds weight · dL/dprediction into a gradient buffer and its loss into one float on the GPU,
 * read once per step by {@link #total()}; images stay on the GPU. Methods run on the GL thread.
 */
public final class GlLosses implements AutoCloseable {
    private static final int GROUP = 256;

    private final ShaderLibrary shaders;
    private final float[] window;
    private final GlBuffer partial = new GlBuffer("loss partial sums");
    private final GlBuffer result = new GlBuffer("loss total");
    private final GlBuffer maps = new GlBuffer("SSIM maps");
    private final GlBuffer blurred = new GlBuffer("SSIM blurred maps");
    /** The host-side constant part of the loss (D-SSIM's weight · 1), in double. */
    private double constant;

    public GlLosses(ShaderLibrary shaders) {
        this.shaders = shaders;
        double[] w = ImageMetrics.ssimWindow();
        if (w.length != 11) {
            throw new IllegalStateException("shaders/loss/ssim_blur.comp has an 11-tap window, ImageMetrics "
                    + w.length);
        }
        window = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            window[i] = (float) w[i];
        }
        for (String s : new String[] {"l1", "ssim_products", "ssim_pointwise", "ssim_combine", "sum",
                "regularisers"}) {
            shaders.program("loss/" + s + ".comp", Map.of());
        }
        blurProgram(5, false);
        blurProgram(5, true);
        blurProgram(3, false);
        blurProgram(3, true);
    }

    /** Starts a step: the loss total goes back to zero. */
    public void begin() {
        result.zero(4);
        constant = 0;
    }

    /** weight · mean |pred - target| over n values; adds its gradient into {@code grad} at {@code gradOffset}. */
    public void l1(GlBuffer pred, int predOffset, GlBuffer target, int targetOffset, int n, double weight,
            GlBuffer grad, int gradOffset) {
        int groups = Dispatch.groups(n, GROUP);
        partial.ensure(4L * groups);
        GlBuffer.checkError("allocating loss partial sums");
        int program = shaders.program("loss/l1.comp", Map.of());
        pred.bind(0);
        target.bind(1);
        grad.bind(2);
        partial.bind(3);
        Dispatch.uniform(program, 0, n);
        Dispatch.uniform(program, 1, predOffset);
        Dispatch.uniform(program, 2, targetOffset);
        Dispatch.uniform(program, 3, gradOffset);
        Dispatch.uniform(program, 4, (float) (weight / n));
        Dispatch.uniform(program, 5, 0);
        Dispatch.run(program, groups, 1);
        addPartials(groups);
    }

    /**
     * weight · (1 - mean SSIM) over {@code channels} planes of pred (at offset 0) against target (at
     * {@code targetOffset}); adds its gradient into {@code grad} (offset 0, pred's layout).
     */
    public void dssim(GlBuffer pred, GlBuffer target, int targetOffset, int channels, int h, int w, double weight,
            GlBuffer grad) {
        int count = channels * h * w;
        int groups = Dispatch.groups(count, GROUP);
        maps.ensure(4L * 5 * count);
        blurred.ensure(4L * 5 * count);
        partial.ensure(4L * groups);
        GlBuffer.checkError("allocating SSIM maps for " + w + "x" + h);
        int products = shaders.program("loss/ssim_products.comp", Map.of());
        pred.bind(0);
        target.bind(1);
        maps.bind(2);
        Dispatch.uniform(products, 0, count);
        Dispatch.uniform(products, 1, targetOffset);
        Dispatch.run(products, groups, 1);
        blur(5, count, w, h); // maps -> blurred (through maps as the temporary)
        int pointwise = shaders.program("loss/ssim_pointwise.comp", Map.of());
        blurred.bind(0);
        maps.bind(1);
        partial.bind(2);
        Dispatch.uniform(pointwise, 0, count);
        Dispatch.uniform(pointwise, 1, (float) (weight / count));
        Dispatch.uniform(pointwise, 2, 0);
        Dispatch.run(pointwise, groups, 1);
        addPartials(groups);
        constant += weight;
        blur(3, count, w, h);
        int combine = shaders.program("loss/ssim_combine.comp", Map.of());
        blurred.bind(0);
        pred.bind(1);
        target.bind(2);
        grad.bind(3);
        Dispatch.uniform(combine, 0, count);
        Dispatch.uniform(combine, 1, targetOffset);
        Dispatch.run(combine, groups, 1);
    }

    /**
     * GaussianAvatars' offset and scale regularisers (the CPU's {@code Losses.offsetRegulariser} and
     * {@code Losses.scaleRegulariser}) on {@code count} Gaussians' local parameters in {@code GaussianLayout}
     * (offsets first, log-scales at 3N): adds their gradients into {@code grads} (same layout) and their loss into
     * the step's total.
     */
    public void regularisers(GlBuffer params, int count, double offsetWeight, double offsetThreshold,
            double scaleWeight, double scaleThreshold, GlBuffer grads) {
        int groups = Dispatch.groups(count, GROUP);
        partial.ensure(4L * groups);
        GlBuffer.checkError("allocating loss partial sums");
        int program = shaders.program("loss/regularisers.comp", Map.of());
        params.bind(0);
        grads.bind(1);
        partial.bind(2);
        Dispatch.uniform(program, 0, count);
        Dispatch.uniform(program, 1, (float) offsetWeight);
        Dispatch.uniform(program, 2, (float) offsetThreshold);
        Dispatch.uniform(program, 3, (float) scaleWeight);
        Dispatch.uniform(program, 4, (float) scaleThreshold);
        Dispatch.run(program, groups, 1);
        addPartials(groups);
    }

    /** Separable blur of {@code n} stacked maps: maps -> blurred along x, then back along y into blurred. */
    private void blur(int n, int count, int w, int h) {
        // pass 1: maps -> (x) -> a temporary; pass 2: temporary -> (y) -> blurred. "maps" is free after pass 1.
        int total = n * count;
        blurPass(blurProgram(n, false), maps, blurred, w, h, total);
        blurPass(blurProgram(n, true), blurred, maps, w, h, total);
        // the result is in maps; swap roles so callers read "blurred"
        GlBuffer.swap(maps, blurred);
    }

    private void blurPass(int program, GlBuffer from, GlBuffer to, int w, int h, int total) {
        from.bind(0);
        to.bind(1);
        Dispatch.uniform(program, 0, w);
        Dispatch.uniform(program, 1, h);
        Dispatch.uniform(program, 2, total);
        glProgramUniform1fv(program, 3, window);
        Dispatch.run(program, Dispatch.groups(total, GROUP), 1);
    }

    private int blurProgram(int n, boolean vertical) {
        return shaders.program("loss/ssim_blur.comp", Map.of("MAPS", n, "VERTICAL", vertical ? 1 : 0));
    }

    /** Sums this term's per-group partials into the step's total, on the GPU. */
    private void addPartials(int groups) {
        int sum = shaders.program("loss/sum.comp", Map.of());
        partial.bind(0);
        result.bind(1);
        Dispatch.uniform(sum, 0, groups);
        Dispatch.uniform(sum, 1, 0);
        Dispatch.run(sum, 1, 1);
    }

    /** The GPU's part of the step's loss so far (one float), for a check or a copy without a read-back. */
    public GlBuffer gpuTotal() {
        return result;
    }

    /** The step's loss from its GPU part as read from {@link #gpuTotal()}, plus the host-side constants. */
    public double total(float gpuPart) {
        return gpuPart + constant;
    }

    /** The step's loss so far: one float read back, plus the host-side constants. */
    public double total() {
        return result.readFloats(1)[0] + constant;
    }

    /**
     * Sum of {@code n} floats of {@code values} into a scratch slot, read back: NaN or infinite exactly when some
     * value is (used to check gradients before the optimiser takes them).
     */
    public double sumOf(GlBuffer values, int n) {
        GlBuffer scratch = partial;
        scratch.zero(4);
        int sum = shaders.program("loss/sum.comp", Map.of());
        values.bind(0);
        scratch.bind(1);
        Dispatch.uniform(sum, 0, n);
        Dispatch.uniform(sum, 1, 0);
        Dispatch.run(sum, 1, 1);
        return scratch.readFloats(1)[0];
    }

    @Override
    public void close() {
        partial.close();
        result.close();
        maps.close();
        blurred.close();
    }
}
