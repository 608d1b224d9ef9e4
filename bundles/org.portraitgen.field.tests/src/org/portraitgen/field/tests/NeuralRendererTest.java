package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.Conv2d;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

class NeuralRendererTest {
    private static Workers workers;

    @BeforeAll
    static void start() {
        workers = new Workers(2);
    }

    @AfterAll
    static void stop() {
        workers.close();
    }

    private static float[] random(int n, Random rnd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    private static double maxRelative(float[] actual, double[] expected) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
        }
        return diff / scale;
    }

    private static void checkConv(int cin, int cout, int k, int h, int w) {
        Random rnd = new Random(cin * 31 + cout * 7 + k);
        Conv2d conv = new Conv2d(cin, cout, k);
        System.arraycopy(random(conv.weights.length, rnd), 0, conv.weights, 0, conv.weights.length);
        System.arraycopy(random(cout, rnd), 0, conv.bias, 0, cout);
        float[] in = random(cin * h * w, rnd);
        float[] out = conv.forward(in, h, w, workers);
        double[] wd = GradCheck.toDouble(conv.weights);
        double[] bd = GradCheck.toDouble(conv.bias);
        double[] ind = GradCheck.toDouble(in);
        double[] expected = NaiveConv.forward(ind, cin, cout, k, wd, bd, h, w);
        double fwdErr = maxRelative(out, expected);
        // backward against FD of the double-precision definition, loss = Σ probe · out
        float[] probe = random(out.length, rnd);
        double[] pd = GradCheck.toDouble(probe);
        java.util.function.DoubleSupplier loss = () -> {
            double[] o = NaiveConv.forward(ind, cin, cout, k, wd, bd, h, w);
            double s = 0;
            for (int i = 0; i < o.length; i++) {
                s += pd[i] * o[i];
            }
            return s;
        };
        float[] vw = new float[conv.weights.length];
        float[] vb = new float[cout];
        float[] vin = conv.backward(in, probe, h, w, vw, vb, true, workers);
        double eIn = GradCheck.relativeError(GradCheck.toDouble(vin), GradCheck.numeric(ind, 1e-6, loss));
        double eW = GradCheck.relativeError(GradCheck.toDouble(vw), GradCheck.numeric(wd, 1e-6, loss));
        double eB = GradCheck.relativeError(GradCheck.toDouble(vb), GradCheck.numeric(bd, 1e-6, loss));
        System.out.printf("conv %dx%d k%d %dx%d: forward max rel %.2e; backward vs FD: input %.2e weights %.2e"
                + " bias %.2e%n", cin, cout, k, h, w, fwdErr, eIn, eW, eB);
        assertTrue(fwdErr < 1e-5, "forward " + fwdErr);
        assertTrue(eIn < 1e-5 && eW < 1e-5 && eB < 1e-5, "backward " + eIn + " " + eW + " " + eB);
    }

    @Test
    void conv3x3MatchesNaiveConvolution() {
        checkConv(5, 7, 3, 9, 11); // channel count and width not multiples of the 4x4 block
        checkConv(8, 4, 3, 6, 8);
    }

    @Test
    void conv1x1MatchesNaiveConvolution() {
        checkConv(6, 3, 1, 5, 7);
    }

    @Test
    void networkGradientMatchesFiniteDifferencesOfTheDoubleNetwork() {
        int h = 5;
        int w = 6;
        int c = 32;
        NeuralRenderer net = NeuralRenderer.initialised(c, 7);
        Random rnd = new Random(8);
        float[] feats = random(c * h * w, rnd);
        NeuralRenderer.Trace trace = net.forward(feats, h, w, workers);
        float[][] pf = net.parameters();
        double[][] pd = new double[pf.length][];
        for (int i = 0; i < pf.length; i++) {
            pd[i] = GradCheck.toDouble(pf[i]);
        }
        int[] channels = {32, 128, 64, 32, 32, 32, 3};
        double[] fd = GradCheck.toDouble(feats);
        double[] expectedRgb = NaiveConv.network(fd, h, w, pd, channels);
        double fwdErr = maxRelative(trace.rgb(), expectedRgb);
        float[] probe = random(3 * h * w, rnd);
        NeuralRenderer grads = new NeuralRenderer(c);
        float[] vFeat = net.backward(trace, probe, grads, workers);
        java.util.function.DoubleSupplier loss = () -> {
            double[] o = NaiveConv.network(fd, h, w, pd, channels);
            double s = 0;
            for (int i = 0; i < o.length; i++) {
                s += probe[i] * o[i];
            }
            return s;
        };
        StringBuilder report = new StringBuilder(String.format("neural renderer %dx%d: forward max rel %.2e;"
                + " backward vs FD:", w, h, fwdErr));
        double eF = GradCheck.relativeError(GradCheck.toDouble(vFeat), GradCheck.numeric(fd, 1e-6, loss));
        report.append(String.format(" features %.2e", eF));
        assertTrue(eF < 1e-4, "features " + eF);
        float[][] g = grads.parameters();
        for (int i = 0; i < pd.length; i += 1) {
            // check every bias and a seeded sample of 40 weights per layer (the full set is 148k FD evaluations)
            double[] p = pd[i];
            int[] idx = i % 2 == 1 ? java.util.stream.IntStream.range(0, p.length).toArray()
                    : rnd.ints(40, 0, p.length).distinct().toArray();
            double[] an = new double[idx.length];
            double[] nu = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                double keep = p[idx[j]];
                p[idx[j]] = keep + 1e-6;
                double up = loss.getAsDouble();
                p[idx[j]] = keep - 1e-6;
                double down = loss.getAsDouble();
                p[idx[j]] = keep;
                nu[j] = (up - down) / 2e-6;
                an[j] = g[i][idx[j]];
            }
            double e = GradCheck.relativeError(an, nu);
            report.append(String.format(" %s%d %.2e", i % 2 == 0 ? "w" : "b", i / 2, e));
            assertTrue(GradCheck.norm(nu) > 0, "layer " + i / 2 + " gradient is zero");
            assertTrue(e < 1e-4, "parameter group " + i + ": " + e);
        }
        System.out.println(report);
        assertTrue(fwdErr < 1e-5, "forward " + fwdErr);
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        NeuralRenderer net = NeuralRenderer.initialised(32, 9);
        float[] feats = random(32 * 20 * 19, new Random(10));
        float[] probe = random(3 * 20 * 19, new Random(11));
        NeuralRenderer g2 = new NeuralRenderer(32);
        NeuralRenderer.Trace t2 = net.forward(feats, 20, 19, workers);
        float[] v2 = net.backward(t2, probe, g2, workers);
        try (Workers one = new Workers(1)) {
            NeuralRenderer g1 = new NeuralRenderer(32);
            NeuralRenderer.Trace t1 = net.forward(feats, 20, 19, one);
            float[] v1 = net.backward(t1, probe, g1, one);
            assertArrayEquals(t1.rgb(), t2.rgb());
            assertArrayEquals(v1, v2);
            for (int i = 0; i < g1.parameters().length; i++) {
                assertArrayEquals(g1.parameters()[i], g2.parameters()[i]);
            }
        }
    }
}
