package org.portraitgen.tracking.smplx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.tracking.smplx.internal.SmplxClip;
import org.portraitgen.tracking.smplx.internal.body.BodyEvaluator;
import org.portraitgen.tracking.smplx.internal.body.BodyParams;
import org.portraitgen.tracking.smplx.internal.fit.ClipFitter;
import org.portraitgen.tracking.smplx.internal.fit.FitSettings;
import org.portraitgen.tracking.smplx.internal.io.FaceLandmarks;
import org.portraitgen.tracking.smplx.internal.io.SmplxTrackingFolder;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;

/** The tracking folder written from a fit, read back as a {@link Rig}: the model's topology, UVs and fitted mesh. */
class RigOutputTest {

    /** Tracks a synthetic clip (frame 2 without a face) into {@code out}; returns the model. */
    static BodyModel trackSyntheticClip(Path dir, Path out, int frames) throws IOException {
        BodyModel m = FitRecoveryTest.model(dir);
        BodyEvaluator body = new BodyEvaluator(m);
        double[] shape = { 0.8, -1.1, 0.5, 1.3 };
        List<double[]> obs = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            obs.add(f == 2 ? new double[0] : FitRecoveryTest.project(body, FitRecoveryTest.truth(m, shape, f), null, 0));
        }
        FaceLandmarks face = new FaceLandmarks(256, 256, 25, FitRecoveryTest.CAMERA, obs);
        SmplxClip.track(m, face, FitRecoveryTest.WEAK, out, "smplx", null);
        return m;
    }

    @Test
    void rigHasTheModelTopologyWithSeamsSplitAndTheFittedMeshPerFrame(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("tracking");
        BodyModel m = trackSyntheticClip(dir, out, 4);
        Rig rig = SmplxTrackingFolder.read(out);
        assertEquals(4, rig.frameCount());
        assertEquals(m.faceCount() * 3, rig.triangles().length);
        // the synthetic UV layout duplicates one column of vertices at u = 0/1 and splits each pole per segment
        assertTrue(rig.vertexCount() > m.vertexCount, rig.vertexCount() + " rig vertices");
        for (float uv : rig.uvs()) {
            assertTrue(uv >= 0 && uv <= 1);
        }
        Set<Integer> used = new HashSet<>();
        for (int t : rig.triangles()) {
            used.add(t);
        }
        assertEquals(rig.vertexCount(), used.size(), "every rig vertex belongs to a triangle");
        assertTrue(rig.state(1).tracked());
        assertFalse(rig.state(2).tracked(), "frame 2 had no face: bridged");
        assertTrue(rig.state(3).tracked());
        for (int f = 0; f < 4; f++) {
            RigState s = rig.state(f);
            assertEquals(3 * rig.vertexCount(), s.vertices().length);
            assertEquals(4, s.expression().length);
            assertEquals(600, s.camera().fx());
        }
        // vertices are the model's posed vertices in cm: every model vertex appears, at equal positions across seams
        double[] zRange = { Double.MAX_VALUE, -Double.MAX_VALUE };
        float[] v = rig.state(0).vertices();
        for (int i = 2; i < v.length; i += 3) {
            zRange[0] = Math.min(zRange[0], v[i]);
            zRange[1] = Math.max(zRange[1], v[i]);
        }
        assertTrue(zRange[0] > 50 && zRange[1] < 80, "the head at 65 cm: z in " + zRange[0] + ".." + zRange[1]);
        // bridged frame 2 equals frame 1's mesh
        float[] a = rig.state(1).vertices(), b = rig.state(2).vertices();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i]);
        }
    }

    @Test
    void fittedMeshMatchesTheTruthInTheRig(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("tracking");
        BodyModel m = trackSyntheticClip(dir, out, 3);
        Rig rig = SmplxTrackingFolder.read(out);
        BodyEvaluator body = new BodyEvaluator(m);
        BodyParams truth = FitRecoveryTest.truth(m, new double[] { 0.8, -1.1, 0.5, 1.3 }, 0);
        double[] tv = body.vertices(body.pose(truth));
        float[] rv = rig.state(0).vertices();
        // each rig vertex is some model vertex: its nearest truth vertex must be within 0.01 cm
        double worst = 0;
        for (int r = 0; r < rig.vertexCount(); r++) {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < m.vertexCount; i++) {
                double d = 0;
                for (int c = 0; c < 3; c++) {
                    d += Math.pow(rv[3 * r + c] - 100 * tv[3 * i + c], 2);
                }
                best = Math.min(best, d);
            }
            worst = Math.max(worst, Math.sqrt(best));
        }
        assertTrue(worst < 0.01, "worst rig vertex distance to the truth " + worst + " cm");
    }

    @Test
    void foreignAndDamagedFoldersAreRefusedClearly(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("tracking");
        trackSyntheticClip(dir, out, 2);
        Path foreign = dir.resolve("default");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("tracking.json"), "{\"format\":\"portraitgen-tracking\",\"version\":1}");
        IOException e = assertThrows(IOException.class, () -> SmplxTrackingFolder.read(foreign));
        assertTrue(e.getMessage().contains("not an SMPL-X tracking folder"), e.getMessage());
        byte[] verts = Files.readAllBytes(out.resolve(SmplxTrackingFolder.VERTICES));
        Files.write(out.resolve(SmplxTrackingFolder.VERTICES), java.util.Arrays.copyOf(verts, verts.length - 4));
        e = assertThrows(IOException.class, () -> SmplxTrackingFolder.read(out));
        assertTrue(e.getMessage().contains(SmplxTrackingFolder.VERTICES) && e.getMessage().contains("expected"),
                e.getMessage());
        Files.writeString(out.resolve(SmplxTrackingFolder.JSON), "{\"format\":");
        e = assertThrows(IOException.class, () -> SmplxTrackingFolder.read(out));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void fitSettingsAreCappedByTheModel(@TempDir Path dir) throws IOException {
        BodyModel m = FitRecoveryTest.model(dir);
        ClipFitter fitter = new ClipFitter(new BodyEvaluator(m), FitRecoveryTest.CAMERA, FitSettings.DEFAULT);
        assertEquals(4, fitter.settings().shapes());
        assertEquals(4, fitter.settings().expressions());
    }
}
