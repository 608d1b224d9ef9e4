package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.Conv2d;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.cnn.PhaseImage;
import org.portraitgen.field.internal.cnn.WinogradCnn;
import org.portraitgen.field.internal.cnn.WinogradConv;

/**
 * The fused Winograd convolutions against the convolution's definition (in double) and the whole Winograd engine
 * against the Java CNN. F(2x2, 3x3) rounds like a direct convolution (bound 1e-5 relative L2); F(4x4, 3x3)'s
 * transforms have entries up to 8 and 1/24 and lose about one more digit (measured ~1e-6 here; bound 1e-5 too).
 * Sizes are odd or not multiples of the tile, and channel counts not multiples of four, so the padding of tiles and
 * channels is exercised.
 */
class WinogradConvTest {
    private static final double BOUND = 1e-5;
    private static Workers workers;

    @BeforeAll
    static void start() {
        workers = new Workers(2);
    }

    @AfterAll
    static void stop() {
        workers.close();
    }

    @Test
    void layerMatchesDefinition() {
        for (int m : new int[] {2, 4}) {
            check(m, 6, 7, 13, 11, false, 1);
            check(m, 6, 7, 8, 8, true, 2);
            check(m, 5, 4, 1, 5, true, 3);
            // more tiles per row than one band holds, and several bands
            check(m, 3, 9, 10, 37, true, 4);
        }
    }

    private void check(int m, int cin, int cout, int h, int w, boolean relu, long seed) {
        Random rnd = new Random(seed);
        Conv2d layer = new Conv2d(cin, cout, 3);
        fill(layer.weights, rnd);
        fill(layer.bias, rnd);
        float[] in = new float[cin * h * w];
        fill(in, rnd);
        double[] expected = NaiveConv.forward(toDouble(in), cin, cout, 3, toDouble(layer.weights),
                toDouble(layer.bias), h, w);
        if (relu) {
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Math.max(0, expected[i]);
            }
        }
        // 8 tiles per band: the 37-wide image needs several bands per tile row's worth of tiles
        float[] actual = new WinogradConv(layer, m, 8).forward(in, h, w, relu, workers);
        double err = relL2(actual, expected);
        System.out.printf("Winograd F(%dx%d) %dx%d, %d->%d: relative L2 %.2e%n", m, m, h, w, cin, cout, err);
        assertTrue(err <= BOUND, "F(" + m + "x" + m + ") relative L2 " + err);
    }

    @Test
    void engineMatchesJavaCnnAndIgnoresThreadCount() {
        NeuralRenderer net = NeuralRenderer.initialised(8, 11);
        Random rnd = new Random(11);
        int h = 13;
        int w = 10;
        float[] feats = new float[8 * h * w];
        fill(feats, rnd);
        try (CnnEngine.Pass ref = new JavaCnn(workers).forward(net, feats, h, w); Workers one = new Workers(1)) {
            for (int m : new int[] {2, 4}) {
                float[] two = new WinogradCnn(net, workers, m, 16).forward(net, feats, h, w).rgb();
                float[] single = new WinogradCnn(net, one, m, 16).forward(net, feats, h, w).rgb();
                double err = relL2(two, toDouble(ref.rgb()));
                System.out.printf("Winograd engine F(%dx%d) vs Java CNN: relative L2 %.2e%n", m, m, err);
                assertTrue(err <= BOUND, "engine F(" + m + "x" + m + ") relative L2 " + err);
                assertArrayEquals(single, two, "results depend on the thread count");
            }
        }
    }

    @Test
    void phaseLayoutRoundTripsAndPadsWithZeros() {
        Random rnd = new Random(5);
        float[] planar = new float[3 * 7 * 9];
        fill(planar, rnd);
        for (int m : new int[] {2, 4}) {
            PhaseImage img = PhaseImage.fromPlanar(planar, 3, 7, 9, m);
            assertArrayEquals(planar, img.toPlanar());
            double sum = 0;
            for (float v : img.data()) {
                sum += Math.abs(v);
            }
            double planarSum = 0;
            for (float v : planar) {
                planarSum += Math.abs(v);
            }
            // every pixel once, everything else (padding, beyond the image) zero
            assertTrue(Math.abs(sum - planarSum) < 1e-3, "padding not zero for m = " + m);
        }
    }

    @Test
    void badInputIsRefused() {
        Conv2d layer = new Conv2d(4, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> new WinogradConv(new Conv2d(4, 4, 1), 4, 16));
        assertThrows(IllegalArgumentException.class, () -> new WinogradConv(layer, 3, 16));
        WinogradConv conv = new WinogradConv(layer, 4, 16);
        assertThrows(IllegalArgumentException.class, () -> conv.forward(new float[5 * 6 * 6], 6, 6, true, workers));
        assertThrows(IllegalArgumentException.class,
                () -> conv.forward(PhaseImage.zeros(4, 6, 6, 2), true, workers));
        NeuralRenderer net = NeuralRenderer.initialised(4, 1);
        WinogradCnn engine = new WinogradCnn(net, workers, 4, 16);
        assertThrows(IllegalArgumentException.class,
                () -> engine.forward(NeuralRenderer.initialised(4, 2), new float[4 * 16], 4, 4));
        assertThrows(UnsupportedOperationException.class,
                () -> engine.backward(net, () -> new float[3 * 16], new float[3 * 16], new NeuralRenderer(4)));
    }

    private static void fill(float[] a, Random rnd) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double relL2(float[] a, double[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = a[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }
}
