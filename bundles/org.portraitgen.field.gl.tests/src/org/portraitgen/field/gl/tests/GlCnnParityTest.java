package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.portraitgen.field.gl.internal.bench.Parity;
import org.portraitgen.field.gl.internal.cnn.GlCnnEngine;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The neural renderer's GPU convolutions (forward, and backward to the features and every parameter) against the
 * plain-Java engine, relative L2 printed and bounded, and the GPU backward against central finite differences of
 * the GPU forward.
 *
 * <p>Bounds: both sides compute in float32 but sum in different orders (the CPU in 4-channel register blocks and
 * doubles for weight gradients, the GPU in 8-channel chunks and per-band partial sums); over sums of up to 128x9
 * products that gives ~1e-7..1e-6 relative. 1e-4 leaves a wide margin; a wrong tap, flip or padding is ~1e-1.
 */
class GlCnnParityTest {
    static final double BOUND = 1e-4;

    static float[] randomFeatures(int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    static double relativeL2(float[] reference, float[] actual) {
        double[] ref = new double[reference.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = reference[i];
        }
        return Parity.relativeL2(ref, actual);
    }

    @ParameterizedTest
    @CsvSource({"8, 9, 13", "32, 19, 37", "4, 1, 1"})
    void forwardAndBackwardMatchTheJavaEngine(int channels, int h, int w) {
        NeuralRenderer net = NeuralRenderer.initialised(channels, 7 + channels);
        float[] features = randomFeatures(channels * h * w, h * 31L + w);
        float[] vRgb = randomFeatures(3 * h * w, 99);
        NeuralRenderer cpuGrads = new NeuralRenderer(channels);
        NeuralRenderer gpuGrads = new NeuralRenderer(channels);
        float[] cpuRgb;
        float[] cpuVFeatures;
        try (Workers workers = new Workers(2); CnnEngine cpu = new JavaCnn(workers);
                CnnEngine.Pass pass = cpu.forward(net, features, h, w)) {
            cpuRgb = pass.rgb();
            cpuVFeatures = cpu.backward(net, pass, vRgb, cpuGrads);
        }
        float[] gpuRgb;
        float[] gpuVFeatures;
        try (GlCnnEngine gpu = new GlCnnEngine(SharedContext.get(), channels);
                CnnEngine.Pass pass = gpu.forward(net, features, h, w)) {
            gpuRgb = pass.rgb();
            gpuVFeatures = gpu.backward(net, pass, vRgb, gpuGrads);
        }
        StringBuilder report = new StringBuilder("CNN parity C=" + channels + " " + w + "x" + h + ": rgb "
                + String.format("%.1e", relativeL2(cpuRgb, gpuRgb)) + ", v_features "
                + String.format("%.1e", relativeL2(cpuVFeatures, gpuVFeatures)));
        assertTrue(relativeL2(cpuRgb, gpuRgb) < BOUND, report::toString);
        assertTrue(relativeL2(cpuVFeatures, gpuVFeatures) < BOUND, report::toString);
        float[][] c = cpuGrads.parameters();
        float[][] g = gpuGrads.parameters();
        for (int i = 0; i < c.length; i++) {
            double e = relativeL2(c[i], g[i]);
            report.append(String.format(", %s%d %.1e", i % 2 == 0 ? "v_w" : "v_b", i / 2, e));
            assertTrue(e < BOUND, report::toString);
        }
        System.out.println(report);
    }

    /**
     * Directional central differences of the GPU forward against the GPU backward, per parameter group and for the
     * features: along the analytic gradient itself and along a random direction, both of unit length. Single
     * coordinates would not do here: the forward is float32, so a loss difference carries ~1e-7 of noise, and the
     * step that would beat it crosses ReLU kinks. A whole-group direction gives a large signal with a tiny step per
     * coordinate. Error: |FD - <g, d>| / |g|; a wrong flip, tap or mask shows as 1e-1 or more. What remains is
     * ReLU kinks inside the step (the groups after which no ReLU follows agree to 3e-5) and float noise
     * (~3e-7 / 2 eps): a few 1e-3 here, hence the 3e-2 bound; exact parity is the Java engine's test above.
     */
    @Test
    void backwardMatchesFiniteDifferencesOfTheForward() {
        int channels = 4;
        int h = 5;
        int w = 6;
        NeuralRenderer net = NeuralRenderer.initialised(channels, 3);
        float[] features = randomFeatures(channels * h * w, 5);
        float[] r = randomFeatures(3 * h * w, 6); // loss = sum of r * rgb, so dL/drgb = r
        NeuralRenderer grads = new NeuralRenderer(channels);
        try (GlCnnEngine gpu = new GlCnnEngine(SharedContext.get(), channels)) {
            float[] vFeatures;
            try (CnnEngine.Pass pass = gpu.forward(net, features, h, w)) {
                vFeatures = gpu.backward(net, pass, r, grads);
            }
            float[][] p = net.parameters();
            float[][] g = grads.parameters();
            float[][] values = new float[p.length + 1][];
            float[][] analytic = new float[p.length + 1][];
            values[0] = features;
            analytic[0] = vFeatures;
            System.arraycopy(p, 0, values, 1, p.length);
            System.arraycopy(g, 0, analytic, 1, g.length);
            Random rnd = new Random(11);
            double worst = 0;
            StringBuilder report = new StringBuilder("CNN backward vs directional finite differences (C=4, 6x5):");
            for (int k = 0; k < values.length; k++) {
                double groupWorst = 0;
                double gNorm = norm(analytic[k]);
                assertTrue(gNorm > 0, (k == 0 ? "features" : "parameter group " + (k - 1)) + " gradient is zero");
                double[][] directions = {new double[values[k].length], new double[values[k].length]};
                for (int i = 0; i < values[k].length; i++) {
                    directions[0][i] = analytic[k][i] / gNorm;
                    directions[1][i] = rnd.nextGaussian();
                }
                scaleToUnit(directions[1]);
                for (double[] d : directions) {
                    double fd = directional(gpu, net, features, r, h, w, values[k], d, 2e-3);
                    double expected = 0;
                    for (int i = 0; i < d.length; i++) {
                        expected += analytic[k][i] * d[i];
                    }
                    double e = Math.abs(fd - expected) / gNorm;
                    groupWorst = Math.max(groupWorst, e);
                }
                worst = Math.max(worst, groupWorst);
                report.append(String.format(" %s %.1e", k == 0 ? "features" : (k % 2 == 1 ? "w" : "b") + (k - 1) / 2,
                        groupWorst));
            }
            System.out.println(report);
            assertTrue(worst < 3e-2, report::toString);
        }
    }

    private static double directional(GlCnnEngine gpu, NeuralRenderer net, float[] features, float[] r, int h, int w,
            float[] values, double[] d, double eps) {
        float[] keep = values.clone();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (keep[i] + eps * d[i]);
        }
        double plus = loss(gpu, net, features, r, h, w);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (keep[i] - eps * d[i]);
        }
        double minus = loss(gpu, net, features, r, h, w);
        System.arraycopy(keep, 0, values, 0, values.length);
        return (plus - minus) / (2 * eps);
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float v : a) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    private static void scaleToUnit(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        double n = Math.sqrt(s);
        for (int i = 0; i < a.length; i++) {
            a[i] /= n;
        }
    }

    private static double loss(GlCnnEngine gpu, NeuralRenderer net, float[] features, float[] r, int h, int w) {
        try (CnnEngine.Pass pass = gpu.forward(net, features, h, w)) {
            float[] rgb = pass.rgb();
            double s = 0;
            for (int i = 0; i < rgb.length; i++) {
                s += (double) r[i] * rgb[i];
            }
            return s;
        }
    }
}
