package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.portraitgen.field.internal.loss.Adam;
import org.portraitgen.field.internal.loss.Losses;

class LossesTest {

    private static double[] random(int n, long seed, double lo, double hi) {
        Random r = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    @Test
    void l1GradientMatchesFiniteDifferences() {
        double[] p = random(50, 1, 0, 1);
        double[] t = random(50, 2, 0, 1);
        double[] g = new double[50];
        Losses.l1(p, 0, t, 0, 50, 0.7, g, 0);
        double[] n = GradCheck.numeric(p, 1e-7, () -> Losses.l1(p, 0, t, 0, 50, 0.7, null, 0));
        double e = GradCheck.relativeError(g, n);
        System.out.printf("L1 gradient vs FD: %.2e%n", e);
        assertTrue(e < 1e-6, "L1 " + e);
    }

    @Test
    void dssimGradientMatchesFiniteDifferences() {
        int c = 2;
        int h = 13;
        int w = 15;
        double[] p = random(c * h * w, 3, 0, 1);
        double[] t = random(c * h * w, 4, 0, 1);
        double[] g = new double[p.length];
        double loss = Losses.dssim(p, t, c, h, w, 0.5, g);
        double[] n = GradCheck.numeric(p, 1e-6, () -> Losses.dssim(p, t, c, h, w, 0.5, null));
        double e = GradCheck.relativeError(g, n);
        System.out.printf("D-SSIM gradient vs FD: %.2e (loss %.4f)%n", e, loss);
        assertTrue(e < 1e-6, "D-SSIM " + e);
        assertEquals(0, Losses.dssim(t, t, c, h, w, 1, null), 1e-12, "SSIM of an image with itself is 1");
    }

    @Test
    void dssimSplitOverWorkersGivesTheSameBits() {
        int c = 3;
        int h = 37; // several row bands, the last one partial
        int w = 29;
        double[] p = random(c * h * w, 7, 0, 1);
        double[] t = random(c * h * w, 8, 0, 1);
        double[] g1 = new double[p.length];
        double[] g2 = new double[p.length];
        double l1 = Losses.dssim(p, t, c, h, w, 0.5, g1);
        double l2;
        try (org.portraitgen.field.internal.Workers workers = new org.portraitgen.field.internal.Workers(2)) {
            l2 = Losses.dssim(p, t, c, h, w, 0.5, g2, workers);
        }
        assertEquals(l1, l2, 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(g1, g2);
        assertTrue(l1 > 0.1, "random images are far from each other: " + l1);
    }

    @Test
    void regularisersMatchFiniteDifferences() {
        double[] off = random(30, 5, -1.5, 1.5);
        double[] g = new double[30];
        Losses.offsetRegulariser(off, 1.0, 0.3, g);
        double e1 = GradCheck.relativeError(g, GradCheck.numeric(off, 1e-7,
                () -> Losses.offsetRegulariser(off, 1.0, 0.3, null)));
        double[] ls = random(30, 6, -2, 0.5);
        double[] gs = new double[30];
        Losses.scaleRegulariser(ls, 0.6, 2, gs);
        double e2 = GradCheck.relativeError(gs, GradCheck.numeric(ls, 1e-7,
                () -> Losses.scaleRegulariser(ls, 0.6, 2, null)));
        System.out.printf("offset regulariser vs FD %.2e, scale regulariser %.2e%n", e1, e2);
        assertTrue(GradCheck.norm(g) > 0 && GradCheck.norm(gs) > 0, "regularisers inactive: test is void");
        assertTrue(e1 < 1e-6 && e2 < 1e-6, e1 + " " + e2);
    }

    @Test
    void adamFollowsItsDefinitionPerGroup() {
        double[] p = {1.0, -2.0};
        double[] g = {0.5, -0.25};
        float[] q = {3f};
        float[] gq = {2f};
        Adam adam = new Adam();
        adam.add("a", 0.1, p, g);
        adam.add("b", 0.01, q, gq);
        adam.update();
        // first step: m̂ = g, v̂ = g², so each parameter moves by lr · sign(g)
        assertEquals(1.0 - 0.1, p[0], 1e-12);
        assertEquals(-2.0 + 0.1, p[1], 1e-12);
        assertEquals(3f - 0.01f, q[0], 1e-6);
        g[0] = -0.5;
        adam.update();
        double m = 0.9 * 0.05 + 0.1 * -0.5;
        double v = 0.999 * 0.001 * 0.25 + 0.001 * 0.25;
        double expected = 0.9 - 0.1 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-15);
        assertEquals(expected, p[0], 1e-12);
    }
}
