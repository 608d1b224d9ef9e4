package org.portraitgen.field.internal.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.loss.Losses;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * The rasterizer's forward and backward and the image losses (L1 + D-SSIM on three channels, with gradients) on
 * their own, on {@link FieldBench}'s sphere scene: no CNN, so nothing else shares the caches or the cores within
 * the process. Reports per stage the minimum and median process CPU time and the median wall time over the
 * repetitions (after three warm-up rounds): on a machine shared with other jobs the minimum is the steadiest
 * figure. Also prints a CRC-32 of the forward's output bits (features, alpha, depth), so that a change meant to
 * keep the forward bit-identical can be checked against the previous build. Not a test. Run it as FieldBench:
 *
 * <pre>
 * java -cp ... org.portraitgen.field.internal.bench.RasterBench [threads=2] [repetitions=20] [sizes=256] [Gaussians=10000]
 * </pre>
 */
public final class RasterBench {
    private RasterBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int[] sizes = ints(args.length > 2 ? args[2] : "256");
        int[] counts = ints(args.length > 3 ? args[3] : "10000");
        System.out.printf("machine: %s, %d cores (%s), %s %s; threads %d; load average at start %s%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), FieldBench.cpuModel(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), threads,
                FieldBench.loadAverage());
        List<String> rows = new ArrayList<>();
        try (Workers workers = new Workers(threads)) {
            for (int size : sizes) {
                for (int n : counts) {
                    bench(workers, size, n, reps, rows);
                }
            }
        }
        System.out.println();
        System.out.println("| size | Gaussians | stage | min process CPU ms | median process CPU ms | median wall ms |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf("load average at end %s%n", FieldBench.loadAverage());
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static void bench(Workers workers, int size, int n, int reps, List<String> rows) {
        FieldBench.Scene s = FieldBench.Scene.sphere(size, n, 7);
        GaussianField field = s.field;
        RigState state = s.frame.state();
        TriangleFrames frames = TriangleFrames.of(state.vertices(), field.binding.triangles,
                field.binding.vertexCount, "bench");
        Gaussians world = field.binding.toWorld(field.local, state.vertices(), frames);
        Camera cam = GaussianField.cameraOf(state);
        int plane = size * size;
        // fixed upstream gradients of the size a training step's are
        Random rnd = new Random(3);
        double[] vFeatures = new double[world.channels * plane];
        for (int i = 0; i < vFeatures.length; i++) {
            vFeatures[i] = 1e-5 * rnd.nextGaussian();
        }
        double[] vAlpha = new double[plane];
        for (int i = 0; i < plane; i++) {
            vAlpha[i] = 1e-5 * rnd.nextGaussian();
        }
        double[] target = new double[3 * plane];
        for (int i = 0; i < target.length; i++) {
            target[i] = rnd.nextDouble();
        }
        Rasterizer rasterizer = new Rasterizer(workers);
        String[] stages = {"raster forward", "raster backward", "losses (L1 + D-SSIM, 3 channels)"};
        double[][] cpu = new double[stages.length][reps];
        double[][] wall = new double[stages.length][reps];
        RasterImage image = null;
        double[] grad = new double[3 * plane];
        for (int rep = -3; rep < reps; rep++) {
            long[] t = new long[8];
            t[0] = System.nanoTime();
            t[1] = FieldBench.processCpuNanos();
            image = rasterizer.forward(world, cam);
            t[2] = System.nanoTime();
            t[3] = FieldBench.processCpuNanos();
            rasterizer.backward(world, cam, image, vFeatures, vAlpha, null, new Gaussians(world.count, world.channels));
            t[4] = System.nanoTime();
            t[5] = FieldBench.processCpuNanos();
            Arrays.fill(grad, 0);
            Losses.l1(image.features, 0, target, 0, 3 * plane, 0.8, grad, 0);
            Losses.dssim(image.features, target, 3, size, size, 0.2, grad, workers);
            t[6] = System.nanoTime();
            t[7] = FieldBench.processCpuNanos();
            if (rep >= 0) {
                for (int k = 0; k < stages.length; k++) {
                    wall[k][rep] = (t[2 * k + 2] - t[2 * k]) / 1e6;
                    cpu[k][rep] = (t[2 * k + 3] - t[2 * k + 1]) / 1e6;
                }
            }
        }
        for (int k = 0; k < stages.length; k++) {
            Arrays.sort(cpu[k]);
            Arrays.sort(wall[k]);
            rows.add(String.format("| %d² | %d | %s | %.1f | %.1f | %.1f |", size, n, stages[k], cpu[k][0],
                    cpu[k][reps / 2], wall[k][reps / 2]));
        }
        rows.add(String.format("| %d² | %d | forward output CRC-32 (features, alpha, depth bits) | %08x | | |", size, n,
                crc(image)));
    }

    private static long crc(RasterImage image) {
        CRC32 crc = new CRC32();
        byte[] b = new byte[8];
        for (double[] a : new double[][] {image.features, image.alpha, image.depth}) {
            for (double d : a) {
                long bits = Double.doubleToRawLongBits(d);
                for (int i = 0; i < 8; i++) {
                    b[i] = (byte) (bits >>> (8 * i));
                }
                crc.update(b);
            }
        }
        return crc.getValue();
    }
}
