package org.portraitgen.field.internal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.ImageMetrics;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.CnnEngines;
import org.portraitgen.field.internal.loss.Adam;
import org.portraitgen.field.internal.nodes.LiftNode;
import org.portraitgen.field.internal.train.FieldTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LiftInputs;
import org.portraitgen.field.internal.train.Lifter;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The lifting benchmark: trains a field on a lift inputs file (written by the {@code field.export-lift-inputs} node,
 * see {@code graphs/lift-inputs-*.json}) exactly as {@code field.lift} does — same Gaussian density, defaults, seed,
 * held-out split, losses and {@link Lifter} loop — and prints a table of held-out PSNR and SSIM against steps and
 * time. This main trains with the CPU {@link Trainer}; {@code GlLiftBench} in the GPU bundle with its trainer.
 *
 * <pre>java -cp ... org.portraitgen.field.internal.bench.LiftBench FILE [steps=300] [every=50] [batch=B]
 *     [holdout_every=K] [uv_resolution=R] [seed=S] [frames=N] [threads=T]</pre>
 *
 * Unset options take the Lift node's defaults. Wall time of the steps is measured around {@code step()} only (the
 * validation renders are timed apart), and so is the process CPU time of the steps (all threads), which says more
 * than wall time on a shared machine. The first step includes warm-up (ORT sessions, shader compilation).
 */
public final class LiftBench {
    private static final Set<String> OPTIONS = Set.of("steps", "every", "batch", "holdout_every", "uv_resolution",
            "seed", "frames", "threads");

    private LiftBench() {
    }

    /** The device a benchmark trains on. */
    public interface Backend {
        /** Machine and device in words, for the table's header. */
        String device();

        FieldTrainer trainer(GaussianField field, LossWeights weights);

        /** The trainer's current render of a frame, RGB planar (for SSIM at validation steps). */
        float[] render(FieldTrainer trainer, TrainingFrame frame);
    }

    public static void main(String[] args) {
        try {
            cpu(options(args));
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Prints why the benchmark could not run (a bad file or option: one line; anything else with its trace). */
    public static void fail(Exception e) {
        System.err.println("LiftBench: " + e.getMessage());
        if (!(e instanceof IOException || e instanceof IllegalArgumentException)) {
            e.printStackTrace();
        }
        System.exit(2);
    }

    private static void cpu(Map<String, String> options) throws IOException {
        int threads = Integer.parseInt(options.getOrDefault("threads",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        try (Workers workers = new Workers(threads);
                CnnEngine engine = CnnEngines.training(LiftNode.CHANNELS, workers, System.out::println)) {
            run(options, new Backend() {
                @Override
                public String device() {
                    return "CPU, " + threads + " threads, neural renderer on " + engine.name();
                }

                @Override
                public FieldTrainer trainer(GaussianField field, LossWeights weights) {
                    return new Trainer(field, weights, workers, engine);
                }

                @Override
                public float[] render(FieldTrainer trainer, TrainingFrame frame) {
                    Trainer t = (Trainer) trainer;
                    try (GaussianField.Frame fr = t.field().render(frame.state(), t.rasterizer(), engine)) {
                        return fr.rgb().clone();
                    }
                }
            });
        }
    }

    /** {@code FILE key=value ...}: the file under "file", the rest checked against the known option names. */
    public static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                if (o.containsKey("file")) {
                    throw new IllegalArgumentException("two input files given: " + o.get("file") + " and " + a);
                }
                o.put("file", a);
            } else if (OPTIONS.contains(a.substring(0, eq))) {
                o.put(a.substring(0, eq), a.substring(eq + 1));
            } else {
                throw new IllegalArgumentException("unknown option '" + a + "'; known: " + OPTIONS);
            }
        }
        if (!o.containsKey("file")) {
            throw new IllegalArgumentException("usage: FILE [key=value ...] with keys " + OPTIONS);
        }
        return o;
    }

    private static int option(Map<String, String> o, String name, int fallback) {
        String v = o.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + name + "=" + v + " is not an integer");
        }
    }

    /** Reads the file, trains as the Lift node does, prints the table; returns the final held-out PSNR. */
    public static double run(Map<String, String> o, Backend backend) throws IOException {
        Path file = Path.of(o.get("file"));
        int steps = option(o, "steps", 300);
        int every = option(o, "every", 50);
        int batch = option(o, "batch", LiftNode.defaultOf("batch"));
        int holdout = option(o, "holdout_every", LiftNode.defaultOf("holdout_every"));
        int uv = option(o, "uv_resolution", LiftNode.defaultOf("uv_resolution"));
        int seed = option(o, "seed", LiftNode.defaultOf("seed"));
        long t0 = System.nanoTime();
        LiftInputs inputs = LiftInputs.read(file).firstFrames(option(o, "frames", Integer.MAX_VALUE));
        double readSeconds = (System.nanoTime() - t0) / 1e9;
        TriangleBinding binding = inputs.binding(uv);
        GaussianField fresh = inputs.freshField(binding, LiftNode.CHANNELS, seed);
        List<TrainingFrame> held = new ArrayList<>();
        for (int i = 0; i < inputs.frames().size(); i++) {
            if (Lifter.heldOut(i, holdout)) {
                held.add(inputs.frames().get(i));
            }
        }
        System.out.printf("## Lift benchmark, %s%n%n", java.time.Instant.now());
        System.out.printf("machine: %s, %d cores (%s), %s %s; load average at start %s%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), FieldBench.cpuModel(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), FieldBench.loadAverage());
        System.out.printf("device: %s%n", backend.device());
        System.out.printf("inputs: %s (%.1f MB, read in %.1f s): %dx%d, %d frames (%d train, %d held out: every %d"
                + "th), masks %s, rig of %d vertices / %d triangles%n", file, Files.size(file) / 1e6, readSeconds,
                inputs.width(), inputs.height(), inputs.frames().size(), inputs.frames().size() - held.size(),
                held.size(), holdout, inputs.hasMasks() ? "yes" : "no", inputs.vertexCount(),
                inputs.triangles().length / 3);
        System.out.printf("field: %d Gaussians (uv_resolution %d), %d feature channels, seed %d; steps %d, batch %d,"
                + " validation every %d steps%n%n", binding.count(), uv, LiftNode.CHANNELS, seed, steps, batch, every);
        System.out.println("| step | training loss (mean since last row) | held-out PSNR dB | held-out SSIM |"
                + " train wall s | ms/step (mean) | train process CPU s | validation wall s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        Lifter.Settings settings = new Lifter.Settings(steps, batch, holdout, steps, every, seed,
                LossWeights.portraitGen());
        Path dir = Files.createTempDirectory("lift-bench");
        Path checkpoint = dir.resolve("field.ckpt");
        Timed[] timed = new Timed[1];
        double[] lossSum = new double[2];
        long wall0 = System.nanoTime();
        Lifter.Result r;
        try {
            r = new Lifter((field, weights) -> timed[0] = new Timed(backend.trainer(field, weights))).lift(
                    inputs.frames(), fresh, checkpoint, settings, (step, total, loss, psnr) -> {
                        lossSum[0] += loss;
                        lossSum[1]++;
                        boolean row = held.isEmpty() ? step % every == 0 || step == total : !Double.isNaN(psnr);
                        if (!row) {
                            return;
                        }
                        double meanLoss = lossSum[0] / lossSum[1];
                        lossSum[0] = 0;
                        lossSum[1] = 0;
                        Timed t = timed[0];
                        long v0 = System.nanoTime();
                        double ssim = held.isEmpty() ? Double.NaN : ssim(backend, t.inner, held);
                        t.validationNanos += System.nanoTime() - v0;
                        System.out.printf("| %d | %.4f | %.2f | %.4f | %.1f | %.0f | %.1f | %.1f |%n", step, meanLoss,
                                psnr, ssim, t.stepNanos / 1e9, t.stepNanos / 1e6 / step,
                                t.stepCpuNanos / 1e9, t.validationNanos / 1e9);
                    });
        } finally {
            Files.deleteIfExists(checkpoint);
            Files.deleteIfExists(dir);
        }
        Timed t = timed[0];
        System.out.printf("%nheld-out PSNR %.2f dB after %d steps; %.1f s training (%.0f ms/step), %.1f s validating,"
                + " %.1f s in all with set-up and checkpoint; load average at end %s%n", r.heldOutPsnr(), r.steps(),
                t.stepNanos / 1e9, t.stepNanos / 1e6 / Math.max(1, r.steps()), t.validationNanos / 1e9,
                (System.nanoTime() - wall0) / 1e9, FieldBench.loadAverage());
        return r.heldOutPsnr();
    }

    private static double ssim(Backend backend, FieldTrainer trainer, List<TrainingFrame> held) {
        double sum = 0;
        for (TrainingFrame f : held) {
            FloatImage out = new FloatImage(f.rgb().width(), f.rgb().height(), 3, backend.render(trainer, f));
            sum += ImageMetrics.ssim(out, f.rgb());
        }
        return sum / held.size();
    }

    /** The backend's trainer, timing its steps and its held-out PSNR renders apart. */
    private static final class Timed implements FieldTrainer {
        final FieldTrainer inner;
        long stepNanos;
        long stepCpuNanos;
        long validationNanos;

        Timed(FieldTrainer inner) {
            this.inner = inner;
        }

        @Override
        public GaussianField field() {
            return inner.field();
        }

        @Override
        public Adam optimiser() {
            return inner.optimiser();
        }

        @Override
        public double step(List<TrainingFrame> batch) {
            long t0 = System.nanoTime();
            long c0 = FieldBench.processCpuNanos();
            double loss = inner.step(batch);
            stepNanos += System.nanoTime() - t0;
            stepCpuNanos += FieldBench.processCpuNanos() - c0;
            return loss;
        }

        @Override
        public double psnr(TrainingFrame f) {
            long t0 = System.nanoTime();
            double p = inner.psnr(f);
            validationNanos += System.nanoTime() - t0;
            return p;
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
