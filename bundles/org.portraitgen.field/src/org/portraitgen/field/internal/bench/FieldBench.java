package org.portraitgen.field.internal.bench;

import java.util.Random;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.ort.OrtCnn;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;

/**
 * Benchmark table for the CPU field: rasterizer forward/backward, neural renderer forward/backward, whole render and
 * train step, at 256² and 512² with 10k and 35k Gaussians. Run outside OSGi:
 * {@code ORT_DISABLE_TELEMETRY=1 java -cp bundles/org.portraitgen.field/target/classes:bundles/org.portraitgen.api/target/classes:
 * ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar
 * org.portraitgen.field.internal.bench.FieldBench [threads] [ort,java] [reps]}. Not a test: timings are reported, never asserted.
 */
public final class FieldBench {
    private FieldBench() {
    }

    /**
     * @param args [threads] [engines, comma-separated: ort,java,ort-frozen (forward only)] [repetitions at 256²] (512² uses half, at least
     *             one) [sizes, comma-separated: 256,512]; every row has one warm-up round first, and reports medians
     */
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        String[] engines = (args.length > 1 ? args[1] : "ort,java").split(",");
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int[] sizes = java.util.Arrays.stream((args.length > 3 ? args[3] : "256,512").split(","))
                .mapToInt(Integer::parseInt).toArray();
        System.out.printf("machine: %s, %d cores, %s %s; threads %d; load average at start %s%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), threads, loadAverage());
        System.out.println("| CNN engine | size | Gaussians | raster fwd ms | CNN fwd ms | render ms (FPS) | raster bwd ms |"
                + " CNN bwd ms | train step ms | render CPU ms | train step CPU ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        try (Workers workers = new Workers(threads)) {
            Rasterizer rasterizer = new Rasterizer(workers);
            NeuralRenderer net = NeuralRenderer.initialised(32, 1);
            for (String e : engines) {
                try (CnnEngine engine = switch (e) {
                    case "java" -> new JavaCnn(workers);
                    case "ort-frozen" -> OrtCnn.frozen(net, threads);
                    default -> new OrtCnn(32, threads);
                }) {
                    for (int size : sizes) {
                        for (int n : new int[] {10_000, 35_000}) {
                            row(engine, size, n, size == 256 ? reps : Math.max(1, reps / 2), rasterizer, net);
                        }
                    }
                }
            }
        }
        System.out.printf("load average at end %s%n", loadAverage());
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    /** A head-sized cloud of Gaussians filling most of the view, as a lifted portrait does. */
    static Gaussians scene(int n, long seed) {
        Random rnd = new Random(seed);
        Gaussians g = new Gaussians(n, 32);
        double spacing = Math.sqrt(4.0 * 0.25 / n); // about n texels over the visible half of a 0.5-radius sphere
        for (int i = 0; i < n; i++) {
            double z = rnd.nextDouble() * 2 - 1;
            double phi = rnd.nextDouble() * 2 * Math.PI;
            double r = Math.sqrt(1 - z * z);
            g.means[3 * i] = 0.5 * r * Math.cos(phi);
            g.means[3 * i + 1] = 0.5 * r * Math.sin(phi);
            g.means[3 * i + 2] = 2.0 + 0.5 * z;
            for (int k = 0; k < 3; k++) {
                g.logScales[3 * i + k] = Math.log(spacing * (0.5 + rnd.nextDouble()));
            }
            g.quats[4 * i] = 1;
            g.quats[4 * i + 1] = rnd.nextGaussian() * 0.3;
            g.opacityLogits[i] = rnd.nextGaussian();
            for (int c = 0; c < 32; c++) {
                g.features[i * 32 + c] = rnd.nextGaussian() * 0.1;
            }
        }
        return g;
    }

    private static void row(CnnEngine engine, int size, int n, int reps, Rasterizer rasterizer,
            NeuralRenderer net) {
        Camera cam = new Camera(size, size, 1.2 * size, 1.2 * size, size / 2.0, size / 2.0,
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
        Gaussians g = scene(n, 2);
        NeuralRenderer grads = new NeuralRenderer(32);
        Gaussians v = new Gaussians(n, 32);
        double[] rf = new double[reps];
        double[] cf = new double[reps];
        double[] rb = new double[reps];
        double[] cb = new double[reps];
        double[] total = new double[reps];
        double[] renderCpu = new double[reps];
        double[] totalCpu = new double[reps];
        for (int rep = -1; rep < reps; rep++) { // one warm-up round
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            RasterImage img = rasterizer.forward(g, cam);
            float[] feats = new float[img.features.length];
            for (int i = 0; i < feats.length; i++) {
                feats[i] = (float) img.features[i];
            }
            long t1 = System.nanoTime();
            long t2;
            long t3;
            float[] vFeat;
            try (CnnEngine.Pass pass = engine.forward(net, feats, size, size)) {
                t2 = System.nanoTime();
                if (rep >= 0) {
                    renderCpu[rep] = (cpuNanos() - c0) / 1e6;
                }
                if (engine.name().endsWith("frozen")) { // forward only: rendering
                    if (rep >= 0) {
                        rf[rep] = (t1 - t0) / 1e6;
                        cf[rep] = (t2 - t1) / 1e6;
                    }
                    continue;
                }
                float[] vRgb = new float[pass.rgb().length];
                java.util.Arrays.fill(vRgb, 1e-3f);
                vFeat = engine.backward(net, pass, vRgb, grads);
                t3 = System.nanoTime();
            }
            double[] vf = new double[vFeat.length];
            for (int i = 0; i < vf.length; i++) {
                vf[i] = vFeat[i];
            }
            rasterizer.backward(g, cam, img, vf, null, null, v);
            long t4 = System.nanoTime();
            if (rep >= 0) {
                rf[rep] = (t1 - t0) / 1e6;
                cf[rep] = (t2 - t1) / 1e6;
                cb[rep] = (t3 - t2) / 1e6;
                rb[rep] = (t4 - t3) / 1e6;
                total[rep] = (t4 - t0) / 1e6;
                totalCpu[rep] = (cpuNanos() - c0) / 1e6;
            }
        }
        double render = median(rf) + median(cf);
        System.out.printf("| %s | %d² | %d | %.1f | %.1f | %.1f (%.1f) | %.1f | %.1f | %.1f | %.0f | %.0f |%n",
                engine.name(), size, n, median(rf), median(cf), render, 1000 / render, median(rb), median(cb),
                median(total), median(renderCpu), median(totalCpu));
    }

    /**
     * CPU time of the whole process (all threads, ORT's native ones included). On a loaded shared machine wall time
     * mostly measures the neighbours; CPU time divided by the threads used estimates the wall time on a quiet one.
     */
    static long cpuNanos() {
        // Linux reports it in clock ticks (10 ms): fine for steps of 100 ms and more, coarse below
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
