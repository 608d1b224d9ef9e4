package org.portraitgen.field.gl.internal.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.bind.UvSampler;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.TrainingFrame;
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

    /** A field to train and the frames to train it on. */
    public record TrainingScene(GaussianField field, List<TrainingFrame> frames) {
    }

    /**
     * A rig of {@code cells}² quads (two triangles each) forming a gently curved sheet 3 units in front of a
     * {@code size}² camera, swaying a little from frame to frame; a field of {@code channels} channels sampled at
     * {@code uvResolution}² texels on it, with seeded random features, opacities, scales and rotations (a fresh field's zero features
     * would leave half the gradients zero); targets are smooth colour ramps with a disc-shaped mask. The same seed
     * gives the same scene, so a CPU and a GPU trainer can start from identical copies. The sheet is tilted,
     * skewed and its vertices' depths jittered by a fixed pattern, so that no two overlapping Gaussians are at
     * exactly the same depth (a regular grid of float vertices has many such ties): the CPU breaks ties by index,
     * and a GPU that poses in float (a last-bit difference either way) composites them in the other order, a
     * difference of the scene, not of the renderer.
     */
    public static TrainingScene trainingScene(int size, int cells, int uvResolution, int channels, int frames,
            long seed) {
        int side = cells + 1;
        int vertexCount = side * side;
        int[] triangles = new int[6 * cells * cells];
        float[] uvs = new float[2 * vertexCount];
        int t = 0;
        for (int y = 0; y < cells; y++) {
            for (int x = 0; x < cells; x++) {
                int a = y * side + x;
                triangles[t++] = a;
                triangles[t++] = a + 1;
                triangles[t++] = a + side;
                triangles[t++] = a + 1;
                triangles[t++] = a + side + 1;
                triangles[t++] = a + side;
            }
        }
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                uvs[2 * (y * side + x)] = (float) x / cells;
                uvs[2 * (y * side + x) + 1] = (float) y / cells;
            }
        }
        List<RigState> states = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            float[] v = new float[3 * vertexCount];
            double sway = 0.08 * Math.sin(0.7 * f);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double u = (double) x / cells - 0.5;
                    double w = (double) y / cells - 0.5;
                    double z = 3 + 0.3 * (u * u + w * w) + sway * u + 0.05 * w + 0.02 * u * w
                            + 0.004 * Math.sin(12.9898 * x + 78.233 * y);
                    int i = y * side + x;
                    v[3 * i] = (float) (1.6 * u + 0.05 * sway);
                    v[3 * i + 1] = (float) (1.6 * w);
                    v[3 * i + 2] = (float) z;
                }
            }
            Camera cam = new Camera(size, size, 1.1 * size, 1.1 * size, 0.5 * size, 0.5 * size,
                    new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
            states.add(new RigState(f, cam, v, new float[0], true));
        }
        TriangleBinding binding = UvSampler.sample(vertexCount, triangles, uvs, uvResolution);
        GaussianField field = GaussianField.initialise(binding, states.get(0).vertices(), channels, seed);
        Random rnd = new Random(seed);
        Gaussians g = field.local;
        for (int i = 0; i < g.features.length; i++) {
            g.features[i] = rnd.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < g.count; i++) {
            g.opacityLogits[i] = rnd.nextDouble() * 3 - 1;
            // anisotropic and turned, or the rotations' gradient is zero (a round Gaussian has no orientation)
            for (int k = 0; k < 3; k++) {
                g.logScales[3 * i + k] += rnd.nextDouble() * 0.8 - 0.4;
            }
            for (int k = 0; k < 4; k++) {
                g.quats[4 * i + k] += rnd.nextDouble() * 0.6 - 0.3;
            }
        }
        List<TrainingFrame> out = new ArrayList<>();
        for (RigState s : states) {
            int f = s.frame();
            float[] rgb = new float[3 * size * size];
            float[] mask = new float[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double u = (x + 0.5) / size;
                    double w = (y + 0.5) / size;
                    int p = y * size + x;
                    rgb[p] = (float) (0.5 + 0.4 * Math.sin(6 * u + 0.3 * f));
                    rgb[size * size + p] = (float) (0.5 + 0.4 * Math.cos(5 * w));
                    rgb[2 * size * size + p] = (float) (0.2 + 0.6 * u * w);
                    mask[p] = (u - 0.5) * (u - 0.5) + (w - 0.5) * (w - 0.5) < 0.16 ? 1 : 0;
                }
            }
            out.add(new TrainingFrame(s, new FloatImage(size, size, 3, rgb), new FloatImage(size, size, 1, mask)));
        }
        return new TrainingScene(field, out);
    }
}
