package org.portraitgen.field.gl.internal.bench;

import java.util.Random;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.internal.raster.Gaussians;

/** Seeded scenes shared by the parity tests and the GPU bench, so both measure the same thing. */
public final class Scenes {
    private Scenes() {
    }

    /** A camera turned by 0.2 rad about y and moved, so the world-to-camera path is exercised, as in field.tests. */
    public static Camera turnedCamera(int w, int h) {
        double a = 0.2;
        double[] r = {Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)};
        return new Camera(w, h, 1.1 * w, 1.0 * w, 0.5 * (w - 1) + 1.5, 0.5 * (h - 1) - 1, r,
                new double[] {0.1, -0.05, 0.3});
    }

    /**
     * n Gaussians in front of the camera around z = 3, spread over the view, random shapes, opacities and features.
     * Their size shrinks as 1/sqrt(n) so that the coverage per pixel stays about the same at any n (a 1M scene is
     * a dense cloud of small splats, as a trained field is, not 1M screen-filling blobs).
     */
    public static Gaussians random(int n, int channels, long seed) {
        Random rnd = new Random(seed);
        Random featureRnd = new Random(~seed); // the geometry does not depend on the channel count
        Gaussians g = new Gaussians(n, channels);
        double size = Math.min(1, Math.sqrt(64.0 / Math.max(1, n)));
        for (int i = 0; i < n; i++) {
            g.means[3 * i] = (rnd.nextDouble() - 0.5) * 1.4;
            g.means[3 * i + 1] = (rnd.nextDouble() - 0.5) * 1.0;
            g.means[3 * i + 2] = 2.6 + rnd.nextDouble();
            for (int k = 0; k < 3; k++) {
                g.logScales[3 * i + k] = Math.log(size * (0.08 + 0.15 * rnd.nextDouble()));
            }
            for (int k = 0; k < 4; k++) {
                g.quats[4 * i + k] = rnd.nextGaussian();
            }
            g.opacityLogits[i] = rnd.nextDouble() * 2 - 0.5;
            for (int c = 0; c < channels; c++) {
                g.features[i * channels + c] = featureRnd.nextDouble() * 2 - 1;
            }
        }
        return g;
    }
}
