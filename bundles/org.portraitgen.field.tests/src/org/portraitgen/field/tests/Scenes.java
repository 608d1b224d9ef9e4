package org.portraitgen.field.tests;

import java.util.Random;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.internal.raster.Gaussians;

/** Small seeded scenes for the rasterizer tests. */
final class Scenes {
    private Scenes() {
    }

    static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    static Camera camera(int w, int h) {
        return new Camera(w, h, 1.1 * w, 1.1 * w, 0.5 * (w - 1), 0.5 * (h - 1), IDENTITY, new double[3]);
    }

    /** A camera turned by a small angle about y and moved, so the world-to-camera path is exercised. */
    static Camera turnedCamera(int w, int h) {
        double a = 0.2;
        double[] r = {Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)};
        return new Camera(w, h, 1.1 * w, 1.0 * w, 0.5 * (w - 1) + 1.5, 0.5 * (h - 1) - 1, r,
                new double[] {0.1, -0.05, 0.3});
    }

    /** n Gaussians in front of the camera around z = 3, spread over the view, with random shapes and features. */
    static Gaussians random(int n, int channels, long seed) {
        Random rnd = new Random(seed);
        Gaussians g = new Gaussians(n, channels);
        for (int i = 0; i < n; i++) {
            g.means[3 * i] = (rnd.nextDouble() - 0.5) * 1.4;
            g.means[3 * i + 1] = (rnd.nextDouble() - 0.5) * 1.0;
            g.means[3 * i + 2] = 2.6 + rnd.nextDouble();
            for (int k = 0; k < 3; k++) {
                g.logScales[3 * i + k] = Math.log(0.08 + 0.15 * rnd.nextDouble());
            }
            for (int k = 0; k < 4; k++) {
                g.quats[4 * i + k] = rnd.nextGaussian();
            }
            g.opacityLogits[i] = rnd.nextDouble() * 2 - 0.5;
            for (int c = 0; c < channels; c++) {
                g.features[i * channels + c] = rnd.nextDouble() * 2 - 1;
            }
        }
        return g;
    }
}
