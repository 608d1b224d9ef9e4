package org.portraitgen.field.internal.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.StageClock;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.CnnEngines;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * Benchmark table for the CPU field: a whole render (bind, rasterize, neural renderer through the frozen ONNX
 * Runtime engine, as the Render node runs it) and a whole training step (one frame: render, L1 + D-SSIM + feature
 * + mask losses, CNN and rasterizer backward, binding backward, regularisers, Adam; the training ORT engine), at
 * 256² and 512² with 10k and 35k Gaussians bound to a sphere rig, plus where each spends its time. Not a test:
 * timings are reported, never asserted. Run it outside OSGi after {@code ./mvnw -B -q -o verify -pl
 * bundles/org.portraitgen.api,bundles/org.portraitgen.core,bundles/org.portraitgen.field -DskipTests}:
 *
 * <pre>
 * java -cp bundles/org.portraitgen.field/target/classes:bundles/org.portraitgen.api/target/classes:\
 * bundles/org.portraitgen.core/target/classes:$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar \
 *   org.portraitgen.field.internal.bench.FieldBench [threads=2] [repetitions=7] [sizes=256,512] [Gaussians=10000,35000] [cnn=ort|java]
 * </pre>
 *
 * <p>{@code cnn=java} runs the neural renderer on the plain-Java engine (the test oracle) instead of ONNX Runtime,
 * for the comparison the engine choice rests on.
 *
 * <p>Every row has two warm-up rounds and reports medians. Wall time on a shared machine mostly measures the
 * neighbours; the process CPU time (all threads, ORT's native ones included, from /proc/self/task/N/schedstat in
 * nanoseconds) divided by the threads estimates the wall time on a quiet machine when the stage keeps them all
 * busy. The calling thread's CPU time is listed too: the part of a stage that ran on it.
 */
public final class FieldBench {
    private FieldBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int[] sizes = ints(args.length > 2 ? args[2] : "256,512");
        int[] counts = ints(args.length > 3 ? args[3] : "10000,35000");
        boolean java = args.length > 4 && args[4].equals("java");
        System.out.printf("machine: %s, %d cores (%s), %s %s; threads %d; load average at start %s%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), threads, loadAverage());
        List<String> rows = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        try (Workers workers = new Workers(threads)) {
            for (int size : sizes) {
                for (int n : counts) {
                    bench(workers, size, n, reps, java, rows, stages);
                }
            }
        }
        System.out.println();
        System.out.println("| size | Gaussians | tile pairs | render ms (FPS) | render process CPU ms | train step ms |"
                + " train step process CPU ms | CNN engines |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("| size | Gaussians | pass | stage | wall ms | calling thread CPU ms | process CPU ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        stages.forEach(System.out::println);
        System.out.printf("load average at end %s%n", loadAverage());
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static void bench(Workers workers, int size, int n, int reps, boolean java, List<String> rows,
            List<String> stages) {
        Scene s = Scene.sphere(size, n, 7);
        Recorder render = new Recorder();
        Recorder train = new Recorder();
        Rasterizer rasterizer = new Rasterizer(workers);
        int pairs;
        String names;
        try (CnnEngine engine = java ? new JavaCnn(workers)
                : CnnEngines.rendering(s.field.renderer, workers, System.err::println)) {
            for (int rep = -2; rep < reps; rep++) {
                render.start(rep >= 0);
                try (GaussianField.Frame f = s.field.render(s.frame.state(), rasterizer, engine, render)) {
                    render.stop();
                }
            }
            try (GaussianField.Frame f = s.field.render(s.frame.state(), rasterizer, engine)) {
                pairs = f.raster().tileIntersections();
            }
            names = engine.name();
        }
        try (CnnEngine engine = java ? new JavaCnn(workers)
                : CnnEngines.training(s.field.local.channels, workers, System.err::println)) {
            Trainer trainer = new Trainer(s.field, LossWeights.portraitGen(), workers, engine);
            trainer.setStageClock(train);
            for (int rep = -2; rep < reps; rep++) {
                train.start(rep >= 0);
                trainer.step(List.of(s.frame));
                train.stop();
            }
            names += " / " + engine.name();
        }
        double renderMs = render.total(Recorder.WALL);
        rows.add(String.format("| %d² | %d | %d | %.1f (%.1f) | %.1f | %.1f | %.1f | %s |", size, n, pairs, renderMs,
                1000 / renderMs, render.total(Recorder.PROCESS), train.total(Recorder.WALL),
                train.total(Recorder.PROCESS), names));
        render.rows(size, n, "render", stages);
        train.rows(size, n, "train step", stages);
    }

    /** A sphere rig (a latitude band, no degenerate pole triangles) filling the middle of the view, as a head does. */
    static final class Scene {
        final GaussianField field;
        final TrainingFrame frame;

        private Scene(GaussianField field, TrainingFrame frame) {
            this.field = field;
            this.frame = frame;
        }

        static Scene sphere(int size, int gaussians, long seed) {
            int lat = 32;
            int lon = 64;
            int verts = (lat + 1) * (lon + 1);
            float[] v = new float[3 * verts];
            for (int i = 0; i <= lat; i++) {
                double theta = Math.PI * (0.1 + 0.8 * i / lat);
                for (int j = 0; j <= lon; j++) {
                    double phi = 2 * Math.PI * j / lon;
                    int o = 3 * (i * (lon + 1) + j);
                    v[o] = (float) (0.5 * Math.sin(theta) * Math.cos(phi));
                    v[o + 1] = (float) (0.5 * Math.cos(theta));
                    v[o + 2] = (float) (2.0 + 0.5 * Math.sin(theta) * Math.sin(phi));
                }
            }
            int[] tris = new int[6 * lat * lon];
            int k = 0;
            for (int i = 0; i < lat; i++) {
                for (int j = 0; j < lon; j++) {
                    int a = i * (lon + 1) + j;
                    int c = a + lon + 1;
                    tris[k++] = a;
                    tris[k++] = c;
                    tris[k++] = a + 1;
                    tris[k++] = a + 1;
                    tris[k++] = c;
                    tris[k++] = c + 1;
                }
            }
            Random rnd = new Random(seed);
            int[] triangleOf = new int[gaussians];
            double[] bary = new double[3 * gaussians];
            for (int g = 0; g < gaussians; g++) {
                triangleOf[g] = rnd.nextInt(tris.length / 3);
                double r1 = Math.sqrt(rnd.nextDouble());
                double r2 = rnd.nextDouble();
                bary[3 * g] = 1 - r1;
                bary[3 * g + 1] = r1 * (1 - r2);
                bary[3 * g + 2] = r1 * r2;
            }
            TriangleBinding binding = new TriangleBinding(verts, tris, triangleOf, bary);
            GaussianField field = GaussianField.initialise(binding, v, 32, seed);
            // a lift a few hundred steps in: varied opacities and features, as the rasterizer sees them then
            Gaussians g = field.local;
            for (int i = 0; i < g.count; i++) {
                g.opacityLogits[i] = rnd.nextGaussian();
                for (int c = 0; c < g.channels; c++) {
                    g.features[i * g.channels + c] = 0.1 * rnd.nextGaussian();
                }
            }
            Camera cam = new Camera(size, size, 1.2 * size, 1.2 * size, size / 2.0, size / 2.0,
                    new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
            RigState state = new RigState(0, cam, v, new float[0], true);
            float[] rgb = new float[3 * size * size];
            float[] mask = new float[size * size];
            double radius = 0.5 / 2.0 * 1.2 * size;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int p = y * size + x;
                    rgb[p] = (float) (0.5 + 0.4 * Math.sin(x / 17.0));
                    rgb[size * size + p] = (float) (0.5 + 0.4 * Math.cos(y / 23.0));
                    rgb[2 * size * size + p] = (float) (0.5 + 0.3 * Math.sin((x + y) / 31.0));
                    double dx = x - size / 2.0;
                    double dy = y - size / 2.0;
                    mask[p] = dx * dx + dy * dy < radius * radius ? 1 : 0;
                }
            }
            return new Scene(field, new TrainingFrame(state, new FloatImage(size, size, 3, rgb),
                    new FloatImage(size, size, 1, mask)));
        }
    }

    /** Per-stage wall, calling-thread CPU and process CPU time over repetitions; medians reported. */
    static final class Recorder implements StageClock {
        static final int WALL = 0;
        static final int THREAD = 1;
        static final int PROCESS = 2;
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        private final Map<String, List<double[]>> laps = new LinkedHashMap<>();
        private final List<double[]> totals = new ArrayList<>();
        private boolean recording;
        private long[] last;
        private long[] first;

        void start(boolean record) {
            recording = record;
            last = now();
            first = last;
        }

        @Override
        public void lap(String stage) {
            long[] t = now();
            if (recording) {
                laps.computeIfAbsent(stage, k -> new ArrayList<>()).add(diff(t, last));
            }
            last = now(); // the clock's own reads stay out of the next stage
        }

        void stop() {
            if (recording) {
                totals.add(diff(now(), first));
            }
        }

        double total(int kind) {
            return median(totals, kind);
        }

        void rows(int size, int n, String pass, List<String> out) {
            laps.forEach((stage, l) -> out.add(String.format("| %d² | %d | %s | %s | %.1f | %.1f | %.1f |", size, n,
                    pass, stage, median(l, WALL), median(l, THREAD), median(l, PROCESS))));
            out.add(String.format("| %d² | %d | %s | **total** | %.1f | %.1f | %.1f |", size, n, pass,
                    median(totals, WALL), median(totals, THREAD), median(totals, PROCESS)));
        }

        private static double[] diff(long[] a, long[] b) {
            return new double[] {(a[0] - b[0]) / 1e6, (a[1] - b[1]) / 1e6, (a[2] - b[2]) / 1e6};
        }

        private static long[] now() {
            return new long[] {System.nanoTime(), THREADS.getCurrentThreadCpuTime(), processCpuNanos()};
        }

        private static double median(List<double[]> values, int kind) {
            double[] s = values.stream().mapToDouble(v -> v[kind]).sorted().toArray();
            if (s.length == 0) {
                return Double.NaN;
            }
            int m = s.length / 2;
            return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
        }
    }

    /**
     * CPU time of the whole process in nanoseconds: the sum of every thread's run time in /proc/self/task/N/schedstat
     * (Linux), else OperatingSystemMXBean's figure (which Linux counts in 10 ms ticks: too coarse per stage).
     */
    static long processCpuNanos() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String stat = Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read: its time is gone from the sum either way
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
