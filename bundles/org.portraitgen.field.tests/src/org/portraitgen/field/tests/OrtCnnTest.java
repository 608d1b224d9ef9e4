package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.ort.OrtCnn;

/**
 * ONNX Runtime's forward and backward graphs against the plain-Java CNN (itself checked against a naive convolution
 * and finite differences). Both run in float32 with different summation orders; sums over up to 128·9 taps and the
 * whole image (weight gradients) leave relative L2 differences around 1e-6; 1e-4 is the bound.
 */
class OrtCnnTest {
    private static final double BOUND = 1e-4;
    private static Workers workers;
    private static OrtCnn ort;
    private static OrtCnn plain;

    @BeforeAll
    static void setUp() {
        workers = new Workers(2);
        ort = new OrtCnn(8, 2);
        plain = OrtCnn.plainLayout(8, 2);
        System.out.println("ORT training engine: " + ort.name());
    }

    @AfterAll
    static void tearDown() {
        ort.close();
        plain.close();
        workers.close();
    }

    @Test
    void forwardAndBackwardMatchJava() {
        // odd sizes, and two of them through the same sessions (H and W are symbolic)
        check(ort, 13, 11, 3);
        check(ort, 6, 17, 4);
    }

    @Test
    void plainLayoutGraphsMatchJava() {
        assertEquals(0, plain.blockSize());
        check(plain, 13, 11, 3);
    }

    @Test
    void frozenForwardMatchesAndRefusesBackward() {
        NeuralRenderer net = NeuralRenderer.initialised(8, 9);
        Random rnd = new Random(9);
        float[] feats = new float[8 * 10 * 12];
        for (int i = 0; i < feats.length; i++) {
            feats[i] = (float) rnd.nextGaussian();
        }
        try (OrtCnn frozen = OrtCnn.frozen(net, 2); CnnEngine.Pass p = frozen.forward(net, feats, 10, 12);
                CnnEngine.Pass q = new JavaCnn(workers).forward(net, feats, 10, 12)) {
            report("frozen rgb", q.rgb(), p.rgb());
            org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                    () -> frozen.backward(net, p, new float[3 * 120], new NeuralRenderer(8)));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> frozen.forward(NeuralRenderer.initialised(8, 10), feats, 10, 12));
        }
    }

    private void check(OrtCnn engine, int h, int w, long seed) {
        NeuralRenderer net = NeuralRenderer.initialised(8, seed);
        Random rnd = new Random(seed);
        float[] feats = new float[8 * h * w];
        for (int i = 0; i < feats.length; i++) {
            feats[i] = (float) rnd.nextGaussian();
        }
        float[] vRgb = new float[3 * h * w];
        for (int i = 0; i < vRgb.length; i++) {
            vRgb[i] = (float) rnd.nextGaussian();
        }
        CnnEngine java = new JavaCnn(workers);
        NeuralRenderer gJava = new NeuralRenderer(8);
        NeuralRenderer gOrt = new NeuralRenderer(8);
        float[] vJava;
        float[] rgbJava;
        try (CnnEngine.Pass p = java.forward(net, feats, h, w)) {
            rgbJava = p.rgb();
            vJava = java.backward(net, p, vRgb, gJava);
        }
        float[] vOrt;
        float[] rgbOrt;
        try (CnnEngine.Pass p = engine.forward(net, feats, h, w)) {
            rgbOrt = p.rgb();
            vOrt = engine.backward(net, p, vRgb, gOrt);
        }
        report(engine.name() + " rgb " + h + "x" + w, rgbJava, rgbOrt);
        report("dL/dfeatures", vJava, vOrt);
        float[][] pj = gJava.parameters();
        float[][] po = gOrt.parameters();
        for (int i = 0; i < pj.length; i++) {
            report((i % 2 == 0 ? "dL/dw" : "dL/db") + i / 2, pj[i], po[i]);
        }
    }

    private static void report(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            num += d * d;
            den += (double) expected[i] * expected[i];
        }
        double rel = Math.sqrt(num / Math.max(den, 1e-30));
        System.out.printf("ORT vs Java %-16s relative L2 %.2e%n", what, rel);
        assertTrue(den > 0, what + " is all zero: the comparison would prove nothing");
        assertTrue(rel < BOUND, what + ": relative L2 " + rel + " over " + BOUND);
    }
}
