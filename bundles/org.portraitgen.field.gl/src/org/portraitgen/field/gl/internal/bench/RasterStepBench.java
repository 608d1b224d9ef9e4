package org.portraitgen.field.gl.internal.bench;

import static org.lwjgl.opengl.GL43C.glFinish;

import java.util.Arrays;
import java.util.Random;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.cnn.GlCnn;
import org.portraitgen.field.gl.internal.train.GlLosses;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The rasterizer inside a training step: GlBench's training row alone (batch of 10 at 512², ~35k Gaussians of the
 * training scene, GL_TIMESTAMP between GlTrainer's stage marks, summed over the batch), then the rasterizer on that
 * scene's posed frames by itself: tile pairs per frame, GPU time of project / intersect / rasterize / backward
 * (timestamps, one frame at a time, and ten frames queued back to back as a step does), and backward parity on the
 * CI scene and at 256². Between them, the step's frame loop as GlTrainer runs it, rebuilt here with a GL_TIMESTAMP
 * after every operation (its "anatomy"), once with the [C + 2, H, W] image-gradient buffer GlTrainer clears and
 * copies into, once as GlTrainer would run with this rasterizer's newer methods where the jar has them: the
 * feature gradient read in place ({@code backwardOnGpu(GlBuffer)}) and frames queued without waiting for their
 * pair count ({@code queueForward}, one {@code pairsFitSinceLastCheck} per step). Otherwise uses only the rasterizer's long-standing methods, so that one build of this class times an older
 * field.gl jar too.
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.RasterStepBench [--quick] [steps]</pre>
 */
public final class RasterStepBench {
    private RasterStepBench() {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int steps = args.length > 0 && args[args.length - 1].matches("\\d+") ? Integer.parseInt(args[args.length - 1])
                : (quick ? 2 : 7);
        int size = quick ? 64 : 512;
        int gaussians = quick ? 2_000 : 35_000;
        int batch = quick ? 2 : 10;
        try (GlContext gl = GlContext.open()) {
            System.out.println("device: " + gl.capabilities().renderer() + " / " + gl.capabilities().version());
            int uv = (int) Math.round(Math.sqrt(gaussians));
            Scenes.TrainingScene scene = Scenes.trainingScene(size, 16, uv, 32, batch, 7);
            GaussianField field = scene.field();
            trainingStep(gl, scene, steps);
            stepAnatomy(gl, scene, quick ? 1 : 5, false);
            stepAnatomy(gl, scene, quick ? 1 : 5, true);
            rasterizerAlone(gl, field, scene, size, quick ? 3 : 30);
            System.out.println("backward parity, CI scene (2001 Gaussians, 67x45, C=8): "
                    + Parity.backward(gl, Scenes.random(2_001, 8, 200 + 2_001), Scenes.turnedCamera(67, 45), 2_001));
            int ps = quick ? 96 : 256;
            int pn = quick ? 2_000 : 50_000;
            System.out.println("forward parity, " + pn + " Gaussians " + ps + "², C=32: "
                    + Parity.forward(gl, Scenes.random(pn, 32, 11), Scenes.turnedCamera(ps, ps)));
            System.out.println("backward parity, " + pn + " Gaussians " + ps + "², C=32: "
                    + Parity.backward(gl, Scenes.random(pn, 32, 11), Scenes.turnedCamera(ps, ps), 3));
        }
    }

    private static void trainingStep(GlContext gl, Scenes.TrainingScene scene, int steps) {
        try (GlTrainer trainer = new GlTrainer(gl, scene.field(), LossWeights.portraitGen())) {
            trainer.step(scene.frames()); // uploads, compiles, grows buffers
            trainer.step(scene.frames());
            StepStages stages = new StepStages();
            double[] wall = stages.timeSteps(gl, trainer, scene.frames(), steps);
            System.out.printf("training step, batch %d, %,d Gaussians: wall median %.1f ms of %d (min %.1f)%n",
                    scene.frames().size(), scene.field().local.count, wall[steps / 2], steps, wall[0]);
            System.out.printf("step stages, GPU ms per step (GL_TIMESTAMP, summed over the batch): total %.1f: %s%n",
                    stages.total(), stages.summary());
        }
    }

    /**
     * GlTrainer.accumulate's operations for each frame of the batch with a timestamp after each; {@code direct}
     * feeds the neural renderer's feature gradient to the rasterizer's backward in place (skipped where the jar has
     * no such method). Prints each operation's GPU ms per step (summed over the batch), median of {@code steps}.
     */
    private static void stepAnatomy(GlContext gl, Scenes.TrainingScene scene, int steps, boolean direct) {
        java.lang.reflect.Method inPlace;
        java.lang.reflect.Method alphaDepth;
        java.lang.reflect.Method queueForward;
        java.lang.reflect.Method pairsFit;
        try {
            inPlace = direct ? GlRasterizer.class.getMethod("backwardOnGpu", GlBuffer.class) : null;
            alphaDepth = direct ? GlRasterizer.class.getMethod("alphaDepthGradients") : null;
        } catch (NoSuchMethodException e) {
            System.out.println("step anatomy, feature gradient in place: not in this jar");
            return;
        }
        try {
            queueForward = direct ? GlRasterizer.class.getMethod("queueForward", Camera.class) : null;
            pairsFit = direct ? GlRasterizer.class.getMethod("pairsFitSinceLastCheck") : null;
        } catch (NoSuchMethodException e) {
            queueForward = null;
            pairsFit = null;
        }
        java.lang.reflect.Method queue = queueForward;
        java.lang.reflect.Method fit = pairsFit;
        GaussianField field = scene.field();
        int channels = field.local.channels;
        LossWeights weights = LossWeights.portraitGen();
        GaussianLayout layout = new GaussianLayout(field.local.count, channels);
        String out = gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl); GlBinding binding = new GlBinding(gl.shaders(),
                    field.binding); GlCnn cnn = new GlCnn(gl.shaders(), channels);
                    GlLosses losses = new GlLosses(gl.shaders()); GlBuffer local = new GlBuffer("local");
                    GlBuffer grads = new GlBuffer("grads"); GlBuffer target = new GlBuffer("target");
                    GlBuffer mask = new GlBuffer("mask"); GlBuffer vRgb = new GlBuffer("vRgb")) {
                local.upload(layout.flatten(field.local));
                cnn.uploadParameters(field.renderer);
                StepStages stages = new StepStages();
                double scale = 1.0 / scene.frames().size();
                for (int step = -2; step < steps; step++) {
                    glFinish();
                    if (step >= 0) {
                        stages.begin();
                    }
                    StepStages marks = step >= 0 ? stages : null;
                    cnn.zeroGradients();
                    grads.zero(4L * layout.floats());
                    losses.begin();
                    for (TrainingFrame f : scene.frames()) {
                        Camera cam = GaussianField.cameraOf(f.state());
                        int h = cam.height();
                        int w = cam.width();
                        int plane = w * h;
                        binding.pose(f.state().vertices(), "bench", local, channels, r);
                        mark(marks, "pose");
                        if (queue != null) {
                            invoke(queue, r, cam);
                        } else {
                            r.forward(cam);
                        }
                        mark(marks, "raster forward");
                        cnn.forward(r.featureImage(), h, w);
                        mark(marks, "CNN forward");
                        target.upload(f.rgb().data());
                        vRgb.zero(4L * 3 * plane);
                        losses.l1(cnn.rgb(), 0, target, 0, 3 * plane, scale * weights.rgbL1(), vRgb, 0);
                        losses.dssim(cnn.rgb(), target, 0, 3, h, w, scale * weights.dssim(), vRgb);
                        mark(marks, "losses");
                        cnn.backward(vRgb);
                        mark(marks, "CNN backward");
                        if (inPlace == null) {
                            GlBuffer vImages = r.imageGradients();
                            vImages.zero(4L * (channels + 2) * plane);
                            mark(marks, "bwd: clear [C+2,H,W]");
                            org.lwjgl.opengl.GL43C.glBindBuffer(org.lwjgl.opengl.GL43C.GL_COPY_READ_BUFFER,
                                    cnn.featureGradient().id());
                            org.lwjgl.opengl.GL43C.glBindBuffer(org.lwjgl.opengl.GL43C.GL_COPY_WRITE_BUFFER,
                                    vImages.id());
                            org.lwjgl.opengl.GL43C.glCopyBufferSubData(org.lwjgl.opengl.GL43C.GL_COPY_READ_BUFFER,
                                    org.lwjgl.opengl.GL43C.GL_COPY_WRITE_BUFFER, 0, 0, 4L * channels * plane);
                            org.lwjgl.opengl.GL43C.glMemoryBarrier(org.lwjgl.opengl.GL43C.GL_SHADER_STORAGE_BARRIER_BIT
                                    | org.lwjgl.opengl.GL43C.GL_BUFFER_UPDATE_BARRIER_BIT);
                            mark(marks, "bwd: copy CNN gradient");
                            losses.l1(r.featureImage(), 0, target, 0, 3 * plane, scale * weights.featureL1(), vImages,
                                    0);
                            mark(marks, "bwd: feature L1");
                            mask.upload(f.mask().data());
                            losses.l1(r.auxImage(), 0, mask, 0, plane, scale * weights.mask(), vImages,
                                    channels * plane);
                            mark(marks, "bwd: mask upload + L1");
                            r.backwardOnGpu();
                        } else {
                            losses.l1(r.featureImage(), 0, target, 0, 3 * plane, scale * weights.featureL1(),
                                    cnn.featureGradient(), 0);
                            mark(marks, "bwd: feature L1");
                            GlBuffer aux = (GlBuffer) invoke(alphaDepth, r);
                            mask.upload(f.mask().data());
                            losses.l1(r.auxImage(), 0, mask, 0, plane, scale * weights.mask(), aux, 0);
                            mark(marks, "bwd: mask upload + L1");
                            invoke(inPlace, r, cnn.featureGradient());
                        }
                        mark(marks, "bwd: rasterizer backward");
                        binding.backward(r, channels, grads);
                        mark(marks, "bind backward");
                    }
                    if (fit != null && !(Boolean) invoke(fit, r) && step >= 0) {
                        throw new IllegalStateException("a queued frame did not fit the pair buffers after warm-up");
                    }
                    if (step >= 0) {
                        losses.total(); // the step's one read-back, as GlTrainer's
                        stages.end();
                    }
                }
                StringBuilder b = new StringBuilder(String.format("step anatomy (%s), GPU ms per step, median of %d:",
                        direct ? "feature gradient in place" + (queue != null ? ", queueForward" : "")
                                : "as GlTrainer: clear + copy", steps));
                stages.medians().forEach((k, v) -> b.append(String.format(" %s %.2f;", k, v)));
                if (inPlace == null) {
                    // the last frame's backward again, from the step's real image gradients, ten times queued
                    double[] again;
                    try (StageTimer timer = new StageTimer(1, 5)) {
                        for (int i = 0; i < 5; i++) {
                            glFinish();
                            timer.mark();
                            for (int k = 0; k < 10; k++) {
                                r.backwardOnGpu();
                            }
                            timer.mark();
                        }
                        again = timer.medians();
                    }
                    b.append(String.format("%n  rasterizer backward of the last frame from its step gradients, "
                            + "repeated back to back: %.3f ms each", again[0] / 10));
                }
                return b.toString();
            }
        });
        System.out.println(out);
    }

    private static void mark(StepStages marks, String stage) {
        if (marks != null) {
            marks.mark(stage);
        }
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rasterizerAlone(GlContext gl, GaussianField field, Scenes.TrainingScene scene, int size,
            int reps) {
        int channels = field.local.channels;
        Camera cam = GaussianField.cameraOf(scene.frames().get(0).state());
        int plane = cam.width() * cam.height();
        Random rnd = new Random(5);
        float[] vImage = new float[(channels + 2) * plane];
        for (int i = 0; i < vImage.length; i++) {
            vImage[i] = (float) (1e-3 * rnd.nextGaussian());
        }
        String out = gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl); GlBinding binding = new GlBinding(gl.shaders(),
                    field.binding); GlBuffer local = new GlBuffer("bench local parameters")) {
                local.upload(new GaussianLayout(field.local.count, channels).flatten(field.local));
                StringBuilder b = new StringBuilder("tile pairs per frame:");
                for (TrainingFrame f : scene.frames()) {
                    binding.pose(f.state().vertices(), "bench", local, channels, r);
                    r.forward(GaussianField.cameraOf(f.state()));
                    b.append(' ').append(r.intersections());
                }
                float[] v0 = scene.frames().get(0).state().vertices();
                binding.pose(v0, "bench", local, channels, r);
                r.forward(cam);
                r.imageGradients().upload(vImage);
                double[] gpu;
                try (StageTimer timer = new StageTimer(4, reps)) {
                    for (int i = 0; i < reps; i++) {
                        glFinish();
                        timer.mark();
                        r.projectGaussians(cam);
                        timer.mark();
                        r.intersectTiles();
                        timer.mark();
                        r.rasterizeToPixels();
                        timer.mark();
                        r.backwardOnGpu();
                        timer.mark();
                    }
                    gpu = timer.medians();
                }
                b.append(String.format("%nalone, frame 0 (GL_TIMESTAMP, median of %d, glFinish before each): project "
                        + "%.3f, intersect %.3f, rasterize %.3f, backward %.3f ms", reps, gpu[0], gpu[1], gpu[2],
                        gpu[3]));
                // as in a step: frames queued back to back, posing included, no glFinish in between
                int frames = scene.frames().size();
                double[] queued;
                try (StageTimer timer = new StageTimer(2, reps)) {
                    for (int i = 0; i < reps; i++) {
                        glFinish();
                        timer.mark();
                        for (TrainingFrame f : scene.frames()) {
                            binding.pose(f.state().vertices(), "bench", local, channels, r);
                            r.forward(GaussianField.cameraOf(f.state()));
                        }
                        timer.mark();
                        for (TrainingFrame f : scene.frames()) {
                            r.backwardOnGpu();
                        }
                        timer.mark();
                    }
                    queued = timer.medians();
                }
                b.append(String.format("%n%d frames queued back to back: pose + forward %.3f ms per frame, backward "
                        + "(last frame's, repeated) %.3f ms per frame", frames, queued[0] / frames,
                        queued[1] / frames));
                return b.toString();
            }
        });
        System.out.println(out);
    }
}
