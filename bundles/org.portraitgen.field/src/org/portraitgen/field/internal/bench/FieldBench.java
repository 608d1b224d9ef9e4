package org.portraitgen.field.internal.bench;

import java.util.Random;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;

/**
 * Benchmark table for the CPU field: rasterizer forward/backward, neural renderer forward/backward, whole render and
 * train step, at 256² and 512² with 10k and 35k Gaussians. Run outside OSGi:
 * {@code java -cp bundles/org.portraitgen.field/target/classes:bundles/org.portraitgen.api/target/classes
 * org.portraitgen.field.internal.bench.FieldBench [threads]}. Not a test: timings are reported, never asserted.
 */
public final class FieldBench {
    private FieldBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        System.out.printf("machine: %s, %d cores, %s %s; threads %d%n", System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), threads);
        System.out.println("| size | Gaussians | raster fwd ms | CNN fwd ms | render ms (FPS) | raster bwd ms |"
                + " CNN bwd ms | train step ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        try (Workers workers = new Workers(threads)) {
            Rasterizer rasterizer = new Rasterizer(workers);
            NeuralRenderer net = NeuralRenderer.initialised(32, 1);
            for (int size : new int[] {256, 512}) {
                for (int n : new int[] {10_000, 35_000}) {
                    row(size, n, workers, rasterizer, net);
                }
            }
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

    private static void row(int size, int n, Workers workers, Rasterizer rasterizer, NeuralRenderer net) {
        Camera cam = new Camera(size, size, 1.2 * size, 1.2 * size, size / 2.0, size / 2.0,
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
        Gaussians g = scene(n, 2);
        NeuralRenderer grads = new NeuralRenderer(32);
        Gaussians v = new Gaussians(n, 32);
        int reps = size == 256 ? 3 : 1; // the CNN dominates; more repetitions only lengthen the run
        double rf = 0;
        double cf = 0;
        double rb = 0;
        double cb = 0;
        for (int rep = -1; rep < reps; rep++) { // one warm-up round
            long t0 = System.nanoTime();
            RasterImage img = rasterizer.forward(g, cam);
            float[] feats = new float[img.features.length];
            for (int i = 0; i < feats.length; i++) {
                feats[i] = (float) img.features[i];
            }
            long t1 = System.nanoTime();
            NeuralRenderer.Trace trace = net.forward(feats, size, size, workers);
            long t2 = System.nanoTime();
            float[] vRgb = new float[trace.rgb().length];
            java.util.Arrays.fill(vRgb, 1e-3f);
            float[] vFeat = net.backward(trace, vRgb, grads, workers);
            long t3 = System.nanoTime();
            double[] vf = new double[vFeat.length];
            for (int i = 0; i < vf.length; i++) {
                vf[i] = vFeat[i];
            }
            rasterizer.backward(g, cam, img, vf, null, null, v);
            long t4 = System.nanoTime();
            if (rep >= 0) {
                rf += (t1 - t0) / 1e6;
                cf += (t2 - t1) / 1e6;
                cb += (t3 - t2) / 1e6;
                rb += (t4 - t3) / 1e6;
            }
        }
        rf /= reps;
        cf /= reps;
        rb /= reps;
        cb /= reps;
        System.out.printf("| %d² | %d | %.1f | %.1f | %.1f (%.1f) | %.1f | %.1f | %.1f |%n", size, n, rf, cf, rf + cf,
                1000 / (rf + cf), rb, cb, rf + cf + rb + cb);
    }
}
