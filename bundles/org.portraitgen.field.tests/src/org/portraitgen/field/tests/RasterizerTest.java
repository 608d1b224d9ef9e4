package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;

class RasterizerTest {
    private static Workers workers;
    private static Rasterizer rasterizer;

    @BeforeAll
    static void start() {
        workers = new Workers(2);
        rasterizer = new Rasterizer(workers);
    }

    @AfterAll
    static void stop() {
        workers.close();
    }

    /** A weighted sum of every output, so each output's gradient path is exercised with distinct weights. */
    private record Probe(double[] wF, double[] wA, double[] wD) {
        static Probe random(int w, int h, int c, long seed) {
            Random rnd = new Random(seed);
            double[] f = new double[w * h * c];
            double[] a = new double[w * h];
            double[] d = new double[w * h];
            for (int i = 0; i < f.length; i++) {
                f[i] = rnd.nextGaussian();
            }
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextGaussian();
                d[i] = 0.3 * rnd.nextGaussian();
            }
            return new Probe(f, a, d);
        }

        double loss(RasterImage img) {
            double s = 0;
            for (int i = 0; i < wF.length; i++) {
                s += wF[i] * img.features[i];
            }
            for (int i = 0; i < wA.length; i++) {
                s += wA[i] * img.alpha[i] + wD[i] * img.depth[i];
            }
            return s;
        }
    }

    private static void checkGradients(Gaussians g, Camera cam, long seed) {
        Probe probe = Probe.random(cam.width(), cam.height(), g.channels, seed);
        RasterImage img = rasterizer.forward(g, cam);
        assertTrue(img.visibleGaussians() > 0, "scene must be visible");
        Gaussians v = new Gaussians(g.count, g.channels);
        rasterizer.backward(g, cam, img, probe.wF(), probe.wA(), probe.wD(), v);
        double[][] params = g.groups();
        double[][] analytic = v.groups();
        StringBuilder report = new StringBuilder("rasterizer gradient vs central FD (" + cam.width() + "x"
                + cam.height() + ", " + g.count + " Gaussians):");
        for (int k = 0; k < params.length; k++) {
            double[] numeric = GradCheck.numeric(params[k], 1e-6, () -> probe.loss(rasterizer.forward(g, cam)));
            double err = GradCheck.relativeError(analytic[k], numeric);
            report.append(String.format(" %s %.2e (|g| %.2e)", Gaussians.GROUP_NAMES[k], err,
                    GradCheck.norm(numeric)));
            assertTrue(GradCheck.norm(numeric) > 1e-6, Gaussians.GROUP_NAMES[k] + " gradient is zero: test is void");
            assertTrue(err < 1e-5, Gaussians.GROUP_NAMES[k] + " relative error " + err);
        }
        System.out.println(report);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        checkGradients(Scenes.random(6, 4, 1), Scenes.camera(37, 29), 11);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithTurnedCamera() {
        checkGradients(Scenes.random(5, 3, 2), Scenes.turnedCamera(33, 40), 12);
    }

    @Test
    void gradientsThroughTheFieldOfViewClamp() {
        // a wide Gaussian whose centre lies beyond 1.3x the field of view but whose footprint reaches the image
        Gaussians g = Scenes.random(3, 2, 3);
        g.means[0] = 3.0;
        g.means[2] = 2.5;
        for (int k = 0; k < 3; k++) {
            g.logScales[k] = Math.log(0.9);
        }
        checkGradients(g, Scenes.camera(24, 20), 13);
    }

    @Test
    void singleGaussianMatchesClosedForm() {
        // an isotropic Gaussian straight ahead projects to an isotropic 2D Gaussian of std f·σ/z, plus dilation
        Gaussians g = new Gaussians(1, 1);
        g.setIdentityRotations();
        g.means[2] = 4;
        double sigma = 0.1;
        for (int k = 0; k < 3; k++) {
            g.logScales[k] = Math.log(sigma);
        }
        g.opacityLogits[0] = 0.4;
        g.features[0] = 0.7;
        Camera cam = Scenes.camera(32, 32);
        RasterImage img = rasterizer.forward(g, cam);
        double opacity = 1 / (1 + Math.exp(-0.4));
        double var = Math.pow(cam.fx() * sigma / 4, 2) + 0.3;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                double d2 = Math.pow(x - cam.cx(), 2) + Math.pow(y - cam.cy(), 2);
                double alpha = opacity * Math.exp(-0.5 * d2 / var);
                double expected = alpha < 1 / 255.0 ? 0 : alpha;
                assertEquals(expected, img.alpha[y * 32 + x], 1e-12, "alpha at " + x + "," + y);
                assertEquals(0.7 * expected, img.features[y * 32 + x], 1e-12);
                assertEquals(4 * expected, img.depth[y * 32 + x], 1e-12);
            }
        }
    }

    @Test
    void frontGaussianOccludesBackOne() {
        Gaussians g = new Gaussians(2, 1);
        g.setIdentityRotations();
        g.means[2] = 5;
        g.means[5] = 2; // the second is nearer although listed later
        for (int i = 0; i < 6; i++) {
            g.logScales[i] = Math.log(0.5);
        }
        g.opacityLogits[0] = 0;
        g.opacityLogits[1] = 8;
        g.features[0] = 1;
        g.features[1] = -1;
        RasterImage img = rasterizer.forward(g, Scenes.camera(15, 15));
        int centre = 7 * 15 + 7; // the principal point: both Gaussians peak here
        // the near one's alpha clamps at 0.99 and gives 0.99·(-1); the far one (alpha 0.5) what passes: 0.01·0.5
        assertEquals(-0.99 + 0.01 * 0.5, img.features[centre], 1e-9);
        assertEquals(1 - 0.01 * 0.5, img.alpha[centre], 1e-9);
    }

    @Test
    void compositingStopsBeforeTransmittanceFallsUnder1e4() {
        // three opaque sheets: 0.99 each; after two, T = 1e-4 - so the third would take it to 1e-6 and is skipped
        Gaussians g = new Gaussians(3, 1);
        g.setIdentityRotations();
        for (int i = 0; i < 3; i++) {
            g.means[3 * i + 2] = 2 + i;
            g.logScales[3 * i] = g.logScales[3 * i + 1] = g.logScales[3 * i + 2] = Math.log(1);
            g.opacityLogits[i] = 12;
            g.features[i] = i == 2 ? 1000 : 0;
        }
        RasterImage img = rasterizer.forward(g, Scenes.camera(16, 16));
        assertEquals(0, img.features[8 * 16 + 8], 1e-12, "the third sheet must not contribute");
    }

    @Test
    void culledGaussiansDoNotChangeTheRender() {
        Camera cam = Scenes.camera(40, 30);
        Gaussians base = Scenes.random(5, 3, 4);
        RasterImage reference = rasterizer.forward(base, cam);
        Gaussians more = new Gaussians(8, 3);
        double[][] src = base.groups();
        double[][] dst = more.groups();
        for (int k = 0; k < src.length; k++) {
            System.arraycopy(src[k], 0, dst[k], 0, src[k].length);
        }
        for (int i = 5; i < 8; i++) {
            more.quats[4 * i] = 1;
            more.opacityLogits[i] = 5;
            more.features[3 * i] = 100;
            more.logScales[3 * i] = more.logScales[3 * i + 1] = more.logScales[3 * i + 2] = Math.log(0.2);
        }
        more.means[15 + 2] = -3; // behind the camera
        more.means[18 + 0] = 40; // far off to the side
        more.means[18 + 2] = 3;
        more.means[21 + 1] = -2; // above the view, its footprint ends before the first row
        more.means[21 + 2] = 1;
        RasterImage img = rasterizer.forward(more, cam);
        assertEquals(5, img.visibleGaussians());
        assertArrayEquals(reference.features, img.features);
        assertArrayEquals(reference.alpha, img.alpha);
        assertArrayEquals(reference.depth, img.depth);
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Camera cam = Scenes.camera(70, 50);
        Gaussians g = Scenes.random(300, 8, 5);
        Probe probe = Probe.random(70, 50, 8, 6);
        Gaussians v2 = new Gaussians(g.count, g.channels);
        RasterImage img2 = rasterizer.forward(g, cam);
        rasterizer.backward(g, cam, img2, probe.wF(), probe.wA(), probe.wD(), v2);
        try (Workers one = new Workers(1)) {
            Rasterizer serial = new Rasterizer(one);
            Gaussians v1 = new Gaussians(g.count, g.channels);
            RasterImage img1 = serial.forward(g, cam);
            serial.backward(g, cam, img1, probe.wF(), probe.wA(), probe.wD(), v1);
            assertArrayEquals(img1.features, img2.features);
            for (int k = 0; k < 5; k++) {
                assertArrayEquals(v1.groups()[k], v2.groups()[k], Gaussians.GROUP_NAMES[k]);
            }
        }
        assertTrue(GradCheck.norm(v2.means) > 0);
    }
}
