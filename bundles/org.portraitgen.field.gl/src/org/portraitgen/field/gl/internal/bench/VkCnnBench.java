package org.portraitgen.field.gl.internal.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.cnn.GlCnn;
import org.portraitgen.field.gl.internal.vk.GlToVkCnn;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.gl.internal.vk.VkCompute;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The Vulkan CNN (issue 6 item 5): the device's Vulkan capabilities, parity of every precision it runs against the
 * Java renderer (relative L2 of RGB), and the forward's time at the given size (median of {@code reps} after
 * warm-up: wall clock of submit + fence wait, and the GPU times from the command buffer's timestamps: host→device
 * copies, the network, device→host copy). Plain {@code java -cp} main; {@code --quick} for small sizes (lavapipe);
 * {@code --gl} adds the render path's CNN step from a GL buffer: GL CNN vs Vulkan fed through a shared buffer vs
 * through the host; {@code --default} times the default tiling only (else the other tilings follow).
 */
public final class VkCnnBench {
    private VkCnnBench() {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int size = quick ? 48 : 512;
        int reps = quick ? 5 : 50;
        try (VkCompute vk = VkCompute.open(); Workers workers = new Workers(Runtime.getRuntime()
                .availableProcessors())) {
            System.out.println(vk.capabilities().report());
            List<VkCnn.Precision> precisions = new ArrayList<>();
            if (vk.capabilities().tensorCores()) {
                precisions.add(VkCnn.Precision.FP16_COOPMAT);
            }
            precisions.add(VkCnn.Precision.FP32);
            NeuralRenderer net = NeuralRenderer.initialised(32, 7);
            System.out.println();
            // rgb sits near 0.5 for this initialisation, so its relative L2 hides most of the error: the centred
            // column compares rgb - 0.5 (about the logits / 4), the sharper measure of the network's error
            System.out.println("| precision | case | rel. L2 rgb | rel. L2 (rgb - 0.5) | max abs rgb |");
            System.out.println("|---|---|---|---|---|");
            int[][] cases = {{9, 13, 8}, {19, 37, 32}, {1, 1, 4}, {size, size, 32}};
            for (VkCnn.Precision precision : precisions) {
                for (int[] c : cases) {
                    NeuralRenderer r = c[2] == 32 ? net : NeuralRenderer.initialised(c[2], 11);
                    float[] features = features(c[2], c[0], c[1], 3);
                    float[] expected = r.forward(features, c[0], c[1], workers).rgb();
                    try (VkCnn cnn = new VkCnn(vk, c[2], precision)) {
                        cnn.uploadParameters(r);
                        float[] got = cnn.forward(features, c[0], c[1]);
                        System.out.printf("| %s | %dx%d C=%d | %.2e | %.2e | %.2e |%n", precision, c[1], c[0],
                                c[2], relativeL2(expected, got), centredL2(expected, got), maxAbs(expected, got));
                    } catch (RuntimeException e) {
                        System.out.printf("| %s | %dx%d C=%d | failed: %s | |%n", precision, c[1], c[0], c[2], e);
                    }
                }
            }
            System.out.println();
            System.out.println("| device | precision | size | wall ms (median) | GPU network ms | pack / conv0..4 / head ms | GPU upload ms"
                    + " | GPU read-back ms | device MiB | rel. L2 rgb | rel. L2 rgb 37x19 |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            float[] features = features(32, size, size, 5);
            float[] expected = net.forward(features, size, size, workers).rgb();
            List<Object[]> runs = new ArrayList<>();
            for (VkCnn.Precision precision : precisions) {
                runs.add(new Object[] {precision, VkCnn.Tiling.DEFAULT});
            }
            if (precisions.contains(VkCnn.Precision.FP16_COOPMAT) && !Arrays.asList(args).contains("--default")) {
                VkCnn.Kernel g = VkCnn.Kernel.GLOBAL;
                VkCnn.Kernel st = VkCnn.Kernel.STAGED;
                VkCnn.Kernel rows = VkCnn.Kernel.ROWS;
                VkCnn.Kernel rb = VkCnn.Kernel.ROWS_B;
                for (VkCnn.Tiling t : new VkCnn.Tiling[] {new VkCnn.Tiling(rb, 2, 2, 8), new VkCnn.Tiling(rb, 1, 2, 4),
                        new VkCnn.Tiling(rb, 2, 4, 8), new VkCnn.Tiling(rb, 4, 2, 4), new VkCnn.Tiling(rb, 2, 2, 4),
                        new VkCnn.Tiling(rows, 1, 1, 4), new VkCnn.Tiling(g, 1, 2, 4), VkCnn.Tiling.DEFAULT}) {
                    runs.add(new Object[] {VkCnn.Precision.FP16_COOPMAT, t});
                }
            }
            float[] small = features(32, 19, 37, 9);
            float[] smallExpected = net.forward(small, 19, 37, workers).rgb();
            try (VkCnn warm = new VkCnn(vk, 32, precisions.get(0))) {
                // clocks up before the first timed row
                warm.uploadParameters(net);
                for (int i = 0; i < (quick ? 1 : 150); i++) {
                    warm.forward(features, size, size);
                }
            }
            for (Object[] run : runs) {
                VkCnn.Precision precision = (VkCnn.Precision) run[0];
                VkCnn.Tiling tiling = (VkCnn.Tiling) run[1];
                try (VkCnn cnn = new VkCnn(vk, 32, precision, tiling)) {
                    cnn.uploadParameters(net);
                    for (int i = 0; i < (quick ? 2 : 10); i++) {
                        cnn.forward(features, size, size);
                    }
                    double[] wall = new double[reps];
                    double[] network = new double[reps];
                    double[] up = new double[reps];
                    double[] down = new double[reps];
                    double[][] stages = new double[7][reps];
                    for (int i = 0; i < reps; i++) {
                        long t0 = System.nanoTime();
                        cnn.forward(features, size, size);
                        wall[i] = (System.nanoTime() - t0) * 1e-6;
                        VkCnn.Timing t = cnn.lastTiming();
                        network[i] = t.networkMs();
                        up[i] = t.uploadMs();
                        down[i] = t.readbackMs();
                        for (int k = 0; k < 7; k++) {
                            stages[k][i] = t.stageMs()[k];
                        }
                    }
                    float[] check = cnn.forward(features, size, size);
                    double mib = cnn.deviceBytes() / (1024.0 * 1024);
                    double smallError = relativeL2(smallExpected, cnn.forward(small, 19, 37));
                    StringBuilder perStage = new StringBuilder();
                    for (double[] st : stages) {
                        perStage.append(perStage.isEmpty() ? "" : " / ").append(String.format("%.3f", median(st)));
                    }
                    System.out.printf("| %s | %s %s | %dx%d B=1 C=32 | %.3f | **%.3f** | %s | %.3f | %.3f | %.1f | %.1e | %.1e |%n",
                            vk.capabilities().deviceName(), precision, precision == VkCnn.Precision.FP32 ? ""
                                    : tiling,
                            size, size, median(wall), median(network), perStage, median(up), median(down),
                            mib, relativeL2(expected, check), smallError);
                } catch (RuntimeException e) {
                    System.out.println("| " + precision + " " + tiling + " | failed: " + e + " |");
                }
            }
            System.out.println("(network: 77.4 GFLOP at 512^2; reps " + reps + " after warm-up)");
            if (Arrays.asList(args).contains("--gl")) {
                renderPath(vk, net, features, expected, size, reps, workers);
            }
        }
    }

    /**
     * The render path's CNN step from a GL buffer of features to RGB on the host, three ways: the GL CNN, the Vulkan
     * CNN fed through a shared buffer, the Vulkan CNN fed through the host.
     */
    private static void renderPath(VkCompute vk, NeuralRenderer net, float[] features, float[] expected, int size,
            int reps, Workers workers) {
        System.out.println();
        System.out.println("| render CNN step, features in a GL buffer -> RGB on the host | wall ms (median) | "
                + "rel. L2 rgb | note |");
        System.out.println("|---|---|---|---|");
        VkCnn.Precision precision = vk.capabilities().tensorCores() ? VkCnn.Precision.FP16_COOPMAT
                : VkCnn.Precision.FP32;
        try (GlContext gl = GlContext.open()) {
            GlBuffer buffer = new GlBuffer("bench features");
            gl.call(() -> {
                buffer.upload(features);
                return null;
            });
            GlCnn glCnn = gl.call(() -> new GlCnn(gl.shaders(), 32));
            try {
                float[][] out = new float[1][];
                double ms = time(reps, () -> out[0] = gl.call(() -> {
                    glCnn.uploadParameters(net);
                    glCnn.forward(buffer, size, size);
                    return glCnn.rgb().readFloats(3 * size * size);
                }));
                System.out.printf("| GL CNN fp32 (%s) | %.3f | %.1e | |%n", gl.capabilities().renderer(), ms,
                        relativeL2(expected, out[0]));
            } catch (RuntimeException e) {
                System.out.println("| GL CNN | failed: " + e + " | | |");
            } finally {
                gl.call(() -> {
                    glCnn.close();
                    return null;
                });
            }
            try (GlToVkCnn shared = GlToVkCnn.open(gl, vk, 32, precision, VkCnn.Tiling.DEFAULT)) {
                float[][] out = new float[1][];
                double[] network = new double[reps];
                int[] k = {0};
                double ms = time(reps, () -> {
                    out[0] = shared.forward(net, buffer, size, size);
                    network[k[0]++ % reps] = shared.lastTiming().networkMs();
                });
                System.out.printf("| Vulkan %s, shared buffer | %.3f | %.1e | GPU network %.3f ms |%n", precision, ms,
                        relativeL2(expected, out[0]), median(network));
            } catch (RuntimeException e) {
                System.out.println("| Vulkan, shared buffer | failed: " + e + " | | |");
            }
            try (VkCnn host = new VkCnn(vk, 32, precision)) {
                host.uploadParameters(net);
                float[][] out = new float[1][];
                double ms = time(reps, () -> {
                    float[] in = gl.call(() -> buffer.readFloats(32 * size * size));
                    out[0] = host.forward(in, size, size);
                });
                System.out.printf("| Vulkan %s, through the host | %.3f | %.1e | |%n", precision, ms,
                        relativeL2(expected, out[0]));
            }
            gl.call(() -> {
                buffer.close();
                return null;
            });
        } catch (RuntimeException e) {
            System.out.println("| GL context | failed: " + e + " | | |");
        }
    }

    /** Median wall ms of {@code reps} runs after 10 warm-up runs. */
    private static double time(int reps, Runnable body) {
        for (int i = 0; i < 10; i++) {
            body.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) * 1e-6;
        }
        return median(ms);
    }

    static float[] features(int channels, int h, int w, long seed) {
        Random rnd = new Random(seed);
        float[] f = new float[channels * h * w];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextGaussian() * 0.5f;
        }
        return f;
    }

    static double relativeL2(float[] reference, float[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = actual[i] - reference[i];
            diff += d * d;
            norm += (double) reference[i] * reference[i];
        }
        return Math.sqrt(diff / Math.max(norm, 1e-30));
    }

    /** Relative L2 of rgb - 0.5: rgb near 0.5 would dilute a relative error of rgb itself. */
    public static double centredL2(float[] reference, float[] actual) {
        float[] r = new float[reference.length];
        float[] a = new float[actual.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = reference[i] - 0.5f;
            a[i] = actual[i] - 0.5f;
        }
        return relativeL2(r, a);
    }

    static double maxAbs(float[] reference, float[] actual) {
        double m = 0;
        for (int i = 0; i < reference.length; i++) {
            m = Math.max(m, Math.abs(actual[i] - reference[i]));
        }
        return m;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
