package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.bind.UvSampler;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.GaussianField;

class BindingTest {

    @Test
    void uvSamplingPlacesOneGaussianPerCoveredTexel() {
        SphereRig rig = new SphereRig(3, 4, 1, 16);
        TriangleBinding b = UvSampler.sample(rig.vertexCount(), rig.triangles(), rig.uvs(), 20);
        // the UV layout covers the unit square exactly: every texel centre lands in one triangle
        assertEquals(400, b.count());
        for (int i = 0; i < b.count(); i++) {
            double s = b.barycentrics[3 * i] + b.barycentrics[3 * i + 1] + b.barycentrics[3 * i + 2];
            assertEquals(1, s, 1e-12);
        }
    }

    @Test
    void zeroAreaTriangleIsReportedByIndex() {
        float[] v = {0, 0, 1, 1, 0, 1, 2, 0, 1, 0, 1, 1};
        int[] tris = {0, 1, 3, 0, 1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TriangleFrames.of(v, tris, 4, "frame 7"));
        assertTrue(e.getMessage().contains("triangle 1") && e.getMessage().contains("frame 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TriangleFrames.of(new float[9], tris, 4, "frame 0"),
                "vertex count mismatch");
    }

    @Test
    void gradientsThroughTheBindingMatchFiniteDifferences() {
        SphereRig rig = new SphereRig(2, 3, 3, 26);
        TriangleBinding b = UvSampler.sample(rig.vertexCount(), rig.triangles(), rig.uvs(), 3);
        RigState state = rig.state(2);
        GaussianField field = GaussianField.initialise(b, rig.state(0).vertices(), 3, 1);
        Gaussians local = field.local;
        Random rnd = new Random(3);
        for (int i = 0; i < local.count; i++) {
            for (int k = 0; k < 3; k++) {
                local.means[3 * i + k] = 0.2 * rnd.nextGaussian();
                local.logScales[3 * i + k] += 0.3 * rnd.nextGaussian();
            }
            for (int k = 0; k < 4; k++) {
                local.quats[4 * i + k] += 0.3 * rnd.nextGaussian();
            }
            local.opacityLogits[i] = rnd.nextGaussian();
            for (int c = 0; c < 3; c++) {
                local.features[3 * i + c] = rnd.nextGaussian();
            }
        }
        Camera cam = GaussianField.cameraOf(state);
        double[] probe = new double[3 * 26 * 26];
        double[] probeA = new double[26 * 26];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < probeA.length; i++) {
            probeA[i] = rnd.nextGaussian();
        }
        try (Workers workers = new Workers(2)) {
            Rasterizer rasterizer = new Rasterizer(workers);
            TriangleFrames frames = TriangleFrames.of(state.vertices(), b.triangles, b.vertexCount, "test");
            java.util.function.DoubleSupplier loss = () -> {
                RasterImage img = rasterizer.forward(b.toWorld(local, state.vertices(), frames), cam);
                double s = 0;
                for (int i = 0; i < probe.length; i++) {
                    s += probe[i] * img.features[i];
                }
                for (int i = 0; i < probeA.length; i++) {
                    s += probeA[i] * img.alpha[i];
                }
                return s;
            };
            Gaussians world = b.toWorld(local, state.vertices(), frames);
            RasterImage img = rasterizer.forward(world, cam);
            Gaussians vWorld = new Gaussians(world.count, world.channels);
            rasterizer.backward(world, cam, img, probe, probeA, null, vWorld);
            Gaussians vLocal = new Gaussians(local.count, local.channels);
            b.backward(vWorld, frames, vLocal);
            String[] names = {"offsets", "localLogScales", "localQuats", "opacityLogits", "features"};
            StringBuilder report = new StringBuilder("binding gradient vs FD (" + local.count + " Gaussians):");
            for (int k = 0; k < 5; k++) {
                double[] n = GradCheck.numeric(local.groups()[k], 1e-6, loss);
                double e = GradCheck.relativeError(vLocal.groups()[k], n);
                report.append(String.format(" %s %.2e", names[k], e));
                assertTrue(GradCheck.norm(n) > 1e-6, names[k] + " has no gradient: test is void");
                assertTrue(e < 1e-5, names[k] + " " + e);
            }
            System.out.println(report);
        }
    }
}
