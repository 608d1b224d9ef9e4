package org.portraitgen.field.gl.internal.bench;

import static org.lwjgl.opengl.GL43C.glFinish;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlCapabilities;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.cnn.GlCnn;
import org.portraitgen.field.gl.internal.cnn.GlCnnEngine;
import org.portraitgen.field.gl.internal.cnn.TrainerCnn;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.gl.internal.vk.GlVkTrainerCnn;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.TrainingFrame;
import org.portraitgen.field.internal.raster.Gaussians;

/**
 * The GPU rasterizer's benchmark, a plain {@code main} so that it runs on the GPU machine without OSGi:
 * capability report, parity against the CPU reference at a moderate size, and timings (wall clock around
 * glFinish, after warm-up, median of repeated runs) of 1M Gaussians at 1920x1080 and of typical fields at 512².
 * Prints a Markdown table for BENCHMARKS.md.
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.GlBench [--quick] [--train | --vulkan-cnn]</pre>
 */
public final class GlBench {
    private GlBench() {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick"); // llvmpipe: small sizes only
        // the training sections only (CNN and step parity, the CNNs alone, render and step timings)
        boolean trainOnly = Arrays.asList(args).contains("--train");
        // the trainer's Vulkan CNN alone (parity with the GL CNN, timings)
        boolean vulkanCnnOnly = Arrays.asList(args).contains("--vulkan-cnn");
        Map<String, Double> figures = new java.util.LinkedHashMap<>();
        try (GlContext gl = GlContext.open()) {
            GlCapabilities caps = gl.capabilities();
            System.out.println("## Capabilities\n```\n" + caps.report() + "\n```");
            if (vulkanCnnOnly) {
                section(() -> System.out.println("trainer CNN parity at 512²: " + fmt(trainerCnnParity(gl, 512))));
                section(() -> timeTrainerCnn(gl, 512, 10, figures));
                return;
            }
            if (!trainOnly) {
                rasterizerSections(gl, caps, quick);
            }
            trainingSections(gl, caps, quick, figures);
            System.out.println("\nFIGURES " + figures);
            if (caps.has("GL_NVX_gpu_memory_info")) {
                System.out.println("\nGPU free memory after the runs: "
                        + gl.call(() -> gl.freeMemoryKiB()) / 1024 + " MiB");
            }
        }
    }

    private static void rasterizerSections(GlContext gl, GlCapabilities caps, boolean quick) {
        System.out.println("\n## Parity against the CPU reference (relative L2, float32 GPU vs float64 CPU)\n");
        System.out.println("| scene | outputs / gradients |\n|---|---|");
        // the CI test scene first (RasterizerParityTest's bounds: 1e-4 forward, 1e-3 backward)
        Gaussians small = Scenes.random(2_001, 8, 200 + 2_001);
        Camera smallCam = Scenes.turnedCamera(67, 45);
        section(() -> System.out.println("| 2001 Gaussians, 67x45, C=8, forward (CI scene) | "
                + fmt(Parity.forward(gl, small, smallCam)) + " |"));
        section(() -> System.out.println("| 2001 Gaussians, 67x45, C=8, backward (CI scene) | "
                + fmt(Parity.backward(gl, small, smallCam, 2_001)) + " |"));
        int pn = quick ? 2_000 : 50_000;
        int ps = quick ? 96 : 256;
        Gaussians pg = Scenes.random(pn, 32, 11);
        Camera pc = Scenes.turnedCamera(ps, ps);
        section(() -> System.out.println("| " + pn + " Gaussians, " + ps + "², C=32, forward | "
                + fmt(Parity.forward(gl, pg, pc)) + " |"));
        section(() -> System.out.println("| " + pn + " Gaussians, " + ps + "², C=32, backward | "
                + fmt(Parity.backward(gl, pg, pc, 3)) + " |"));
        System.out.println("\n## Timings (" + caps.renderer() + ", " + LocalDate.now()
                + "; median ms of wall clock around glFinish)\n");
        System.out.println("| case | Gaussians | tile pairs | project | intersect (sort) | rasterize | "
                + "forward total | GL_TIMESTAMP project / intersect / rasterize | backward on GPU (with host transfers) | "
                + "GPU buffers MiB |\n|---|---|---|---|---|---|---|---|---|---|");
        int reps = quick ? 3 : 30;
        section(() -> warmUp(gl, quick));
        // --quick (llvmpipe): a sixth of the resolution and few Gaussians, so that it ends in a minute
        int wide = quick ? 320 : 1920;
        int high = quick ? 180 : 1080;
        int square = quick ? 128 : 512;
        section(() -> time(gl, wide + "x" + high + ", C=32", quick ? 20_000 : 1_000_000, 32, wide, high, reps,
                false));
        section(() -> time(gl, wide + "x" + high + ", C=3", quick ? 20_000 : 1_000_000, 3, wide, high, reps,
                false));
        section(() -> time(gl, square + "², C=32", quick ? 10_000 : 35_000, 32, square, square, reps, true));
        section(() -> time(gl, square + "², C=32", quick ? 20_000 : 100_000, 32, square, square, reps, true));
    }

    private static void trainingSections(GlContext gl, GlCapabilities caps, boolean quick,
            Map<String, Double> figures) {
        System.out.println("\n## Neural renderer and training on the GPU (" + caps.renderer() + ", "
                + LocalDate.now() + "; median ms of wall clock around glFinish)\n");
        // the trainer's own choice (-Dportraitgen.gpu.cnn; unset: Vulkan where it shares memory with GL)
        String trainerCnn = gl.call(() -> {
            try (TrainerCnn c = GlVkTrainerCnn.open(gl, 32)) {
                return c instanceof GlCnn ? null : c.describe();
            }
        });
        System.out.println("Trainer CNN: " + (trainerCnn == null ? "GL fp32" : trainerCnn));
        int cnnSize = quick ? 64 : 512;
        section(() -> System.out.println("CNN parity at " + cnnSize + "², C=32 (float32 GPU vs the Java engine): "
                + fmt(cnnParity(gl, cnnSize))));
        if (trainerCnn != null) {
            section(() -> System.out.println("trainer CNN parity at " + cnnSize + "², C=32 (" + trainerCnn
                    + " vs the GL fp32 CNN): " + fmt(trainerCnnParity(gl, cnnSize))));
        }
        int stepSize = quick ? 32 : 128;
        section(() -> {
            Scenes.TrainingScene a = Scenes.trainingScene(stepSize, 8, quick ? 20 : 70, 32, 2, 3);
            Scenes.TrainingScene b = Scenes.trainingScene(stepSize, 8, quick ? 20 : 70, 32, 2, 3);
            System.out.println("training step parity at " + stepSize + "², " + a.field().local.count
                    + " Gaussians, C=32, batch 2 (vs the CPU Trainer), GL fp32 CNN: "
                    + fmt(Parity.trainingStep(gl, a, b, a.frames(), c -> new GlCnn(gl.shaders(), c))));
        });
        if (trainerCnn != null) {
            section(() -> {
                Scenes.TrainingScene a = Scenes.trainingScene(stepSize, 8, quick ? 20 : 70, 32, 2, 3);
                Scenes.TrainingScene b = Scenes.trainingScene(stepSize, 8, quick ? 20 : 70, 32, 2, 3);
                System.out.println("training step parity at " + stepSize + "², " + a.field().local.count
                        + " Gaussians, C=32, batch 2 (vs the CPU Trainer), " + trainerCnn + ": "
                        + fmt(Parity.trainingStep(gl, a, b, a.frames())));
            });
        }
        System.out.println("\n| case | ms | notes |\n|---|---|---|");
        section(() -> timeCnn(gl, cnnSize, quick ? 3 : 30, figures));
        if (trainerCnn != null) {
            section(() -> timeTrainerCnn(gl, cnnSize, quick ? 2 : 10, figures));
        }
        section(() -> timeTraining(gl, cnnSize, quick ? 2_000 : 35_000, quick ? 2 : 10, quick ? 2 : 10,
                figures, "GL fp32 CNN", c -> new GlCnn(gl.shaders(), c), ""));
        if (trainerCnn != null) {
            section(() -> timeTraining(gl, cnnSize, quick ? 2_000 : 35_000, quick ? 2 : 10, quick ? 2 : 10,
                    figures, trainerCnn, c -> GlVkTrainerCnn.open(gl, c), "vk_"));
            // the same CNN taking one frame per pass (four GL <-> Vulkan hand-overs per frame, as before slots)
            section(() -> timeTraining(gl, cnnSize, quick ? 2_000 : 35_000, quick ? 2 : 10, quick ? 2 : 10,
                    figures, trainerCnn + ", one frame per pass", c -> GlVkTrainerCnn.open(gl, c,
                            VkCnn.Precision.FP16_COOPMAT, true, 1), "vk1_"));
        }
    }

    /** The trainer's Vulkan CNN against the GL one (itself within 3e-4 of the Java engine at 512²), on the GPU. */
    static Map<String, Double> trainerCnnParity(GlContext gl, int size) {
        NeuralRenderer net = NeuralRenderer.initialised(32, 5);
        float[][] in = parityInputs(size, 1.0 / (size * size));
        float[] features = in[0];
        float[] vRgb = in[1];
        return gl.call(() -> {
            float[][][] out = new float[2][][];
            try (GlBuffer f = new GlBuffer("parity features"); GlBuffer v = new GlBuffer("parity dL/dRGB");
                    TrainerCnn glCnn = new GlCnn(gl.shaders(), 32); TrainerCnn vkCnn = GlVkTrainerCnn.open(gl, 32)) {
                f.upload(features);
                v.upload(vRgb);
                TrainerCnn[] both = {glCnn, vkCnn};
                for (int k = 0; k < 2; k++) {
                    TrainerCnn c = both[k];
                    c.uploadParameters(net);
                    c.zeroGradients();
                    c.forward(f, size, size);
                    float[] rgb = c.rgb().readFloats(3 * size * size);
                    c.backward(v);
                    out[k] = new float[][] {rgb, c.featureGradient().readFloats(32 * size * size),
                        c.gradients().readFloats(c.parameterCount())};
                }
            }
            Map<String, Double> e = new java.util.LinkedHashMap<>();
            e.put("rgb", Parity.relativeL2(doubles(out[0][0]), out[1][0]));
            e.put("v_features", Parity.relativeL2(doubles(out[0][1]), out[1][1]));
            float[][] shape = new NeuralRenderer(32).parameters();
            int o = 0;
            for (int i = 0; i < shape.length; i++) {
                float[] a = Arrays.copyOfRange(out[0][2], o, o + shape[i].length);
                float[] b = Arrays.copyOfRange(out[1][2], o, o + shape[i].length);
                o += shape[i].length;
                e.put((i % 2 == 0 ? "v_w" : "v_b") + i / 2, Parity.relativeL2(doubles(a), b));
            }
            return e;
        });
    }

    /** Seeded Gaussian features [32, size, size] and a constant dL/dRGB, the CNN timings' inputs. */
    private static void uploadCnnInputs(GlBuffer features, GlBuffer vRgb, int size) {
        Random rnd = new Random(3);
        float[] f = new float[32 * size * size];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        features.upload(f);
        float[] v = new float[3 * size * size];
        Arrays.fill(v, 1e-3f);
        vRgb.upload(v);
    }

    /** The trainer's Vulkan CNN alone: forward + backward for a batch of 10 from a GL feature buffer. */
    private static void timeTrainerCnn(GlContext gl, int size, int reps, Map<String, Double> figures) {
        NeuralRenderer net = NeuralRenderer.initialised(32, 5);
        gl.call(() -> {
            try (TrainerCnn cnn = GlVkTrainerCnn.open(gl, 32); GlBuffer features = new GlBuffer("bench features");
                    GlBuffer vRgb = new GlBuffer("bench dL/dRGB")) {
                uploadCnnInputs(features, vRgb, size);
                cnn.uploadParameters(net);
                for (int i = 0; i < 20; i++) {
                    cnn.forward(features, size, size);
                    cnn.backward(vRgb);
                }
                double fwd = median(reps * 3, () -> cnn.forward(features, size, size));
                double batch = median(reps, () -> {
                    for (int b = 0; b < 10; b++) {
                        cnn.forward(features, size, size);
                        cnn.backward(vRgb);
                    }
                });
                double[] gpu = ((GlVkTrainerCnn) cnn).lastMillis();
                int slots = Math.min(10, cnn.frameSlots());
                GlBuffer[] featureSlots = new GlBuffer[slots];
                GlBuffer[] vRgbSlots = new GlBuffer[slots];
                java.util.Arrays.fill(featureSlots, features);
                java.util.Arrays.fill(vRgbSlots, vRgb);
                double slotted = median(reps, () -> {
                    for (int b = 0; b < 10; b += slots) {
                        int n = Math.min(slots, 10 - b);
                        cnn.forward(featureSlots, n, size, size);
                        cnn.backward(vRgbSlots, n);
                    }
                });
                double[] slottedGpu = ((GlVkTrainerCnn) cnn).lastMillis();
                System.out.printf("| trainer CNN (%s) forward + backward, batch 10 at %d², %d frame(s) per pass | "
                        + "**%.3f** | GPU for the last pass's frames: forward %.3f + backward %.3f |%n",
                        cnn.describe(), size, slots, slotted, slottedGpu[0], slottedGpu[1]);
                figures.put("vk_cnn_fwd_bwd_b10_slots_ms", slotted);
                System.out.printf("| trainer CNN (%s) forward %d², GL buffer in, RGB in a GL buffer | %.3f | GPU "
                        + "forward %.3f (timestamps) |%n", cnn.describe(), size, fwd, gpu[0]);
                System.out.printf("| trainer CNN (%s) forward + backward, batch 10 at %d² | **%.3f** | GPU per frame: "
                        + "forward %.3f + backward %.3f (timestamps) |%n", cnn.describe(), size, batch, gpu[0],
                        gpu[1]);
                System.out.println("| trainer CNN backward stages, GPU ms | | "
                        + ((GlVkTrainerCnn) cnn).lastBackwardStages() + " |");
                figures.put("vk_cnn_fwd_bwd_b10_ms", batch);
                figures.put("vk_cnn_gpu_fwd_ms", gpu[0]);
                figures.put("vk_cnn_gpu_bwd_ms", gpu[1]);
            }
            return null;
        });
    }

    private static void time(GlContext gl, String name, int n, int channels, int w, int h, int reps,
            boolean backward) {
        Gaussians g = Scenes.random(n, channels, 42);
        Camera cam = Scenes.turnedCamera(w, h);
        float[] vFeatures = backward ? new float[channels * w * h] : null;
        if (vFeatures != null) {
            Arrays.fill(vFeatures, 1e-3f);
        }
        String row = gl.call(() -> {
            long freeBefore = gl.freeMemoryKiB();
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(Parity.params(g));
                double project = median(reps, () -> r.projectGaussians(cam));
                double intersect = median(reps, () -> {
                    r.projectGaussians(cam);
                    r.intersectTiles();
                }) - project;
                double rasterize = median(reps, r::rasterizeToPixels);
                double total = median(reps, () -> r.forward(cam));
                double[] gpu;
                try (StageTimer timer = new StageTimer(3, reps)) {
                    for (int i = 0; i < reps; i++) {
                        timer.mark();
                        r.projectGaussians(cam);
                        timer.mark();
                        r.intersectTiles();
                        timer.mark();
                        r.rasterizeToPixels();
                        timer.mark();
                    }
                    gpu = timer.medians();
                }
                String bwd = "-";
                if (backward) {
                    r.forward(cam);
                    r.uploadImageGradients(vFeatures, null, null);
                    double gpuOnly = median(reps, r::backwardOnGpu);
                    double withTransfers = median(Math.max(3, reps / 3), () -> r.backward(vFeatures, null, null));
                    bwd = String.format("%.3f (%.1f with transfers)", gpuOnly, withTransfers);
                }
                long freeAfter = gl.freeMemoryKiB();
                String mem = String.format("%.1f", r.bufferBytes() / 1048576.0)
                        + (freeBefore > 0 ? String.format(" (driver: %.0f)", (freeBefore - freeAfter) / 1024.0) : "");
                return String.format("| %s | %,d | %,d | %.3f | %.3f | %.3f | **%.3f** | %.3f / %.3f / %.3f | %s | %s |",
                        name, n, r.intersections(), project, intersect, rasterize, total, gpu[0], gpu[1], gpu[2], bwd,
                        mem);
            }
        });
        System.out.println(row);
    }

    /** Seeded Gaussian features [32, size, size] and dL/dRGB [3, size, size] scaled by {@code gradientScale}. */
    private static float[][] parityInputs(int size, double gradientScale) {
        Random rnd = new Random(6);
        float[] features = new float[32 * size * size];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) rnd.nextGaussian();
        }
        float[] vRgb = new float[3 * size * size];
        for (int i = 0; i < vRgb.length; i++) {
            vRgb[i] = (float) (rnd.nextGaussian() * gradientScale);
        }
        return new float[][] {features, vRgb};
    }

    /** The GPU CNN against the Java engine at one size: RGB, dL/dfeatures and the first layer's weights. */
    static Map<String, Double> cnnParity(GlContext gl, int size) {
        NeuralRenderer net = NeuralRenderer.initialised(32, 5);
        float[][] in = parityInputs(size, 1);
        float[] features = in[0];
        float[] vRgb = in[1];
        NeuralRenderer cpuGrads = new NeuralRenderer(32);
        NeuralRenderer gpuGrads = new NeuralRenderer(32);
        float[][] cpu;
        try (Workers workers = new Workers(Runtime.getRuntime().availableProcessors());
                CnnEngine engine = new JavaCnn(workers); CnnEngine.Pass pass = engine.forward(net, features, size,
                        size)) {
            cpu = new float[][] {pass.rgb(), engine.backward(net, pass, vRgb, cpuGrads)};
        }
        float[][] gpu;
        try (GlCnnEngine engine = new GlCnnEngine(gl, 32); CnnEngine.Pass pass = engine.forward(net, features, size,
                size)) {
            gpu = new float[][] {pass.rgb(), engine.backward(net, pass, vRgb, gpuGrads)};
        }
        Map<String, Double> e = new java.util.LinkedHashMap<>();
        e.put("rgb", Parity.relativeL2(doubles(cpu[0]), gpu[0]));
        e.put("v_features", Parity.relativeL2(doubles(cpu[1]), gpu[1]));
        float[][] c = cpuGrads.parameters();
        float[][] g = gpuGrads.parameters();
        for (int i = 0; i < c.length; i += 2) {
            e.put("v_w" + i / 2, Parity.relativeL2(doubles(c[i]), g[i]));
        }
        return e;
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** The CNN alone: forward at size², and forward + backward for a batch of 10 (PyTorch anchor's cases). */
    private static void timeCnn(GlContext gl, int size, int reps, Map<String, Double> figures) {
        NeuralRenderer net = NeuralRenderer.initialised(32, 5);
        gl.call(() -> {
            try (GlCnn cnn = new GlCnn(gl.shaders(), 32); GlBuffer features = new GlBuffer("bench features");
                    GlBuffer vRgb = new GlBuffer("bench dL/dRGB")) {
                uploadCnnInputs(features, vRgb, size);
                cnn.uploadParameters(net);
                // a second of forwards first: the parity check before this leaves the GPU idle for seconds, and
                // run 3 timed its first CNN row on an idle GPU's clocks (13 ms wall vs 4.1 ms GPU time)
                long end = System.nanoTime() + (reps > 3 ? 1_000_000_000L : 0);
                do {
                    cnn.forward(features, size, size);
                    glFinish();
                } while (System.nanoTime() < end);
                double fwd = median(reps, () -> cnn.forward(features, size, size));
                cnn.forward(features, size, size);
                double bwd = median(reps, () -> cnn.backward(vRgb));
                double[] perLayer;
                try (StageTimer timer = new StageTimer(1, reps)) {
                    for (int i = 0; i < reps; i++) {
                        timer.mark();
                        cnn.forward(features, size, size);
                        timer.mark();
                    }
                    perLayer = timer.medians();
                }
                double batch = median(Math.max(3, reps / 5), () -> {
                    for (int b = 0; b < 10; b++) {
                        cnn.forward(features, size, size);
                        cnn.backward(vRgb);
                    }
                });
                double gflop = 2.0 * size * size * (32 * 128 * 9 + 128 * 64 * 9 + 64 * 32 * 9 + 32 * 32 * 9 * 2 + 32 * 3)
                        / 1e9;
                System.out.printf("| CNN forward %d², C=32 | **%.3f** | GL_TIMESTAMP %.3f; %.1f GFLOP -> %.1f TFLOP/s |%n",
                        size, fwd, perLayer[0], gflop, gflop / fwd);
                System.out.printf("| CNN backward %d² (input + weight gradients) | %.3f | %.1f TFLOP/s |%n", size, bwd,
                        2 * gflop / bwd);
                System.out.printf("| CNN forward + backward, batch 10 at %d² | **%.3f** | |%n", size, batch);
                figures.put("cnn_fwd_ms", fwd);
                figures.put("cnn_fwd_bwd_b10_ms", batch);
                figures.put("cnn_gpu_mib", cnn.bufferBytes() / 1048576.0);
            }
            return null;
        });
    }

    /**
     * Render (posing by the GPU binding + rasterize + CNN) and a training step of batch frames on GlTrainer, with a
     * GL_TIMESTAMP breakdown of the step's stages.
     */
    private static void timeTraining(GlContext gl, int size, int gaussians, int batch, int reps,
            Map<String, Double> figures, String cnnLabel, java.util.function.IntFunction<TrainerCnn> cnnFactory,
            String figurePrefix) {
        int uv = (int) Math.round(Math.sqrt(gaussians));
        Scenes.TrainingScene scene = Scenes.trainingScene(size, 16, uv, 32, batch, 7);
        GaussianField field = scene.field();
        TrainingFrame frame = scene.frames().get(0);
        System.out.println("posing parity, " + field.local.count + " Gaussians (GPU binding vs TriangleBinding): "
                + fmt(Parity.posing(gl, field, frame.state().vertices())));
        try (GlTrainer trainer = new GlTrainer(gl, field, LossWeights.portraitGen(), cnnFactory)) {
            trainer.render(frame); // uploads, compiles
            Camera cam = GaussianField.cameraOf(frame.state());
            float[] vertices = frame.state().vertices();
            double[] gpuOnly = gl.call(() -> {
                try (GlRasterizer r = new GlRasterizer(gl); GlCnn cnn = new GlCnn(gl.shaders(), 32);
                        GlBinding binding = new GlBinding(gl.shaders(), field.binding);
                        GlBuffer local = new GlBuffer("bench local parameters")) {
                    local.upload(new GaussianLayout(field.local.count, 32).flatten(field.local));
                    cnn.uploadParameters(field.renderer);
                    double posing = median(reps * 3, () -> binding.pose(vertices, "bench", local, 32, r));
                    double posed = median(reps * 3, () -> {
                        binding.pose(vertices, "bench", local, 32, r);
                        r.forward(cam);
                        cnn.forward(r.featureImage(), size, size);
                    });
                    return new double[] {posing, posed};
                }
            });
            String serviceRender = timeServiceRender(gl, scene, reps * 10, reps <= 3);
            long t0 = System.nanoTime();
            int n = reps * 3;
            for (int i = 0; i < n; i++) {
                trainer.render(frame);
            }
            double withReadBack = (System.nanoTime() - t0) / 1e6 / n;
            trainer.step(scene.frames()); // warm-up
            trainer.takeCnnHostSplit();
            StepStages stages = new StepStages();
            double[] steps = stages.timeSteps(gl, trainer, scene.frames(), reps);
            double step = steps[reps / 2];
            System.out.printf("| render %d², %,d Gaussians: GPU posing + rasterize + CNN | **%.3f** | posing alone "
                    + "%.3f; mean %.3f per GlTrainer.render (rig vertices up, RGB read back) |%n", size,
                    field.local.count, gpuOnly[1], gpuOnly[0], withReadBack);
            System.out.println(serviceRender);
            System.out.printf("| training step, batch %d at %d², %,d Gaussians (GlTrainer.step), %s | **%.1f** | "
                    + "median of %d; GPU memory %.0f MiB |%n", batch, size, field.local.count, cnnLabel, step, reps,
                    trainer.bufferBytes() / 1048576.0);
            System.out.printf("| step stages, GPU ms per step (GL_TIMESTAMP, summed over the batch) | %.1f | %s |%n",
                    stages.total(), stages.summary());
            String split = trainer.takeCnnHostSplit();
            if (split != null) {
                System.out.println("| the Vulkan CNN's hand-overs in those steps | | " + split + " |");
            }
            figures.put(figurePrefix + "render_ms", gpuOnly[1]);
            figures.put(figurePrefix + "posing_ms", gpuOnly[0]);
            figures.put(figurePrefix + "train_step_ms", step);
        }
    }

    /** About two seconds of full-size forwards, so that the first timed case does not meet an idle GPU's clocks. */
    private static void warmUp(GlContext gl, boolean quick) {
        Gaussians g = Scenes.random(quick ? 2_000 : 1_000_000, 32, 42);
        // llvmpipe's storage blocks end at 128 MiB: a 1080p image of 32 channels (253 MiB) is beyond it
        Camera cam = quick ? Scenes.turnedCamera(320, 180) : Scenes.turnedCamera(1920, 1080);
        gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(Parity.params(g));
                long end = System.nanoTime() + (quick ? 0 : 2_000_000_000L);
                do {
                    r.forward(cam);
                    glFinish();
                } while (System.nanoTime() < end);
            }
            return null;
        });
    }

    /** One failing case (a driver's compile error, out of memory) must not hide the others' numbers. */
    private static void section(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.out.println("| FAILED | " + e + " |");
            e.printStackTrace(System.out);
        }
    }

    /** Median wall-clock ms of {@code body}, each run fenced by glFinish, after two warm-up runs. */
    /**
     * The GPU service's render (GlGaussianFieldService.render, with whichever CNN serves: the Vulkan fp16 CNN on the
     * shared feature buffer where it can): latency one at a time and renders per second with 1-4 threads calling it
     * ({@link ServiceRenderBench}); table rows, or why they failed.
     */
    private static String timeServiceRender(GlContext gl, Scenes.TrainingScene scene, int reps, boolean quick) {
        try {
            return String.join("\n", ServiceRenderBench.rows(gl, scene, reps, quick ? new int[] {1, 2}
                    : new int[] {1, 2, 3, 4}));
        } catch (RuntimeException | LinkageError e) {
            return "| service render | FAILED | " + e + " |";
        }
    }

    private static double median(int reps, Runnable body) {
        body.run();
        body.run();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            glFinish();
            long t0 = System.nanoTime();
            body.run();
            glFinish();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    private static String fmt(Map<String, Double> errors) {
        StringBuilder b = new StringBuilder();
        errors.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(String.format(" %.1e", v)));
        return b.toString();
    }
}
