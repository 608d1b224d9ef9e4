package org.portraitgen.tracking.smplx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.tracking.smplx.internal.body.BodyEvaluator;
import org.portraitgen.tracking.smplx.internal.body.BodyParams;
import org.portraitgen.tracking.smplx.internal.fit.ClipFitter;
import org.portraitgen.tracking.smplx.internal.fit.FitSettings;
import org.portraitgen.tracking.smplx.internal.fit.Pinhole;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;
import org.portraitgen.tracking.smplx.internal.model.ModelKind;
import org.portraitgen.tracking.smplx.internal.model.ModelLoader;

/**
 * A synthetic FLAME-like model posed with known parameters over a short clip, its landmarks projected (exactly, and
 * with pixel noise), and the fit recovering the parameters and the mesh.
 */
class FitRecoveryTest {
    static final Pinhole CAMERA = new Pinhole(600, 600, 128, 128);
    /** Weak priors: with exact landmarks they only break the global/neck rotation ambiguity. */
    static final FitSettings WEAK = new FitSettings(4, 4, 1.0, 0.02, 0.002, 0.002, 0.05, 30, 40);

    static BodyModel model(Path dir) throws IOException {
        Path f = dir.resolve("head.npz");
        SyntheticModel.flameLike(10, 16, 60).write(f);
        return ModelLoader.load(f);
    }

    /** The truth for frame f of a clip: shared shape, slowly changing pose, expression and jaw. */
    static BodyParams truth(BodyModel m, double[] shape, int f) {
        BodyParams p = BodyParams.zero(shape.length, 4, m.jointCount);
        System.arraycopy(shape, 0, p.shape(), 0, shape.length);
        double t = f / 5.0;
        p.pose()[0] = Math.PI + 0.1 * Math.sin(t); // facing the camera, nodding
        p.pose()[1] = 0.25 * Math.sin(0.7 * t); // turning
        p.pose()[2] = 0.05;
        p.pose()[6] = 0.12 + 0.08 * Math.sin(1.3 * t); // jaw opening
        for (int e = 0; e < 4; e++) {
            p.expression()[e] = 1.2 * Math.sin(t + e);
        }
        p.translation()[0] = 0.01 * f;
        p.translation()[1] = -0.1;
        p.translation()[2] = 0.65 + 0.01 * Math.cos(t);
        return p;
    }

    static double[] project(BodyEvaluator body, BodyParams p, Pinhole camera) {
        return project(body, p, null, 0, camera);
    }

    static double[] project(BodyEvaluator body, BodyParams p, Random noise, double sigmaPx) {
        return project(body, p, noise, sigmaPx, CAMERA);
    }

    static double[] project(BodyEvaluator body, BodyParams p, Random noise, double sigmaPx, Pinhole camera) {
        BodyModel m = body.model();
        BodyEvaluator.Posed s = body.pose(p);
        double[] obs = new double[2 * m.landmarkCount()];
        double[] x = new double[3], uv = new double[2];
        for (int l = 0; l < m.landmarkCount(); l++) {
            body.landmark(s, l, x, null);
            camera.project(x, uv, null, null);
            obs[2 * m.landmarkMediaPipe[l]] = uv[0] + (noise == null ? 0 : sigmaPx * noise.nextGaussian());
            obs[2 * m.landmarkMediaPipe[l] + 1] = uv[1] + (noise == null ? 0 : sigmaPx * noise.nextGaussian());
        }
        return obs;
    }

    static double meanVertexErrorMm(BodyEvaluator body, BodyParams a, BodyParams b) {
        double[] va = body.vertices(body.pose(a)), vb = body.vertices(body.pose(b));
        double sum = 0;
        for (int i = 0; i < va.length; i += 3) {
            sum += Math.sqrt(Math.pow(va[i] - vb[i], 2) + Math.pow(va[i + 1] - vb[i + 1], 2)
                    + Math.pow(va[i + 2] - vb[i + 2], 2));
        }
        return 1000 * sum / (va.length / 3);
    }

    private record Errors(double rmsPx, double vertexMm, double shape, double expression, double jaw) {
    }

    /** Priors of the default's strength, for noisy landmarks. */
    static final FitSettings MODERATE = new FitSettings(4, 4, 1.0, 0.5, 0.1, 0.1, 0.5, 30, 40);

    private static Errors fitClip(BodyModel m, double sigmaPx, int frames, FitSettings settings) {
        BodyEvaluator body = new BodyEvaluator(m);
        double[] shape = { 0.8, -1.1, 0.5, 1.3 };
        Random noise = sigmaPx > 0 ? new Random(5) : null;
        List<BodyParams> truths = new ArrayList<>();
        List<double[]> obs = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            truths.add(truth(m, shape, f));
            obs.add(project(body, truths.get(f), noise, sigmaPx));
        }
        ClipFitter.Result r = new ClipFitter(body, CAMERA, settings).fit(obs, null);
        double vmm = 0, ee = 0, jaw = 0;
        for (int f = 0; f < frames; f++) {
            BodyParams fit = r.frames().get(f).params();
            vmm += meanVertexErrorMm(body, truths.get(f), fit) / frames;
            for (int e = 0; e < 4; e++) {
                ee = Math.max(ee, Math.abs(fit.expression()[e] - truths.get(f).expression()[e]));
            }
            jaw = Math.max(jaw, Math.abs(fit.pose()[6] - truths.get(f).pose()[6]));
        }
        double se = 0;
        for (int i = 0; i < 4; i++) {
            se = Math.max(se, Math.abs(r.shape()[i] - shape[i]));
        }
        Errors e = new Errors(r.meanRmsPx(), vmm, se, ee, jaw);
        System.out.printf("fit recovery (σ = %.1f px, %d frames, %d landmarks): reprojection %.3f px, mean vertex error"
                + " %.3f mm, max |Δshape| %.3f, max |Δexpression| %.3f, max |Δjaw| %.4f rad%n", sigmaPx, frames,
                m.landmarkCount(), e.rmsPx(), e.vertexMm(), e.shape(), e.expression(), e.jaw());
        return e;
    }

    @Test
    void exactLandmarksRecoverShapeExpressionJawAndMesh(@TempDir Path dir) throws IOException {
        BodyModel m = model(dir);
        assertEquals(ModelKind.FLAME, m.kind);
        Errors e = fitClip(m, 0, 6, WEAK);
        // measured: reprojection < 1e-3 px, vertex error 0.001 mm, parameters within 1e-3; bounds leave room for the
        // weak priors' bias
        assertTrue(e.rmsPx() < 0.01, "reprojection " + e.rmsPx());
        assertTrue(e.vertexMm() < 0.05, "vertex error " + e.vertexMm() + " mm");
        assertTrue(e.shape() < 0.01, "shape error " + e.shape());
        assertTrue(e.expression() < 0.01, "expression error " + e.expression());
        assertTrue(e.jaw() < 1e-3, "jaw error " + e.jaw());
    }

    @Test
    void noisyLandmarksGiveBoundedErrors(@TempDir Path dir) throws IOException {
        BodyModel m = model(dir);
        Errors e = fitClip(m, 1.0, 6, MODERATE);
        // 1 px noise per coordinate on 60 landmarks: the residual is the noise itself (√2 σ less the fitted degrees
        // of freedom; measured 1.27 px); measured 4.3 mm mean vertex error over the whole head at 65 cm, most of it
        // depth, which monocular landmarks constrain weakly; jaw 0.04 rad, shape 0.17, expression 0.8
        assertTrue(e.rmsPx() > 0.9 && e.rmsPx() < 1.5, "reprojection " + e.rmsPx());
        assertTrue(e.vertexMm() < 7, "vertex error " + e.vertexMm() + " mm");
        assertTrue(e.shape() < 0.4, "shape error " + e.shape());
        assertTrue(e.jaw() < 0.08, "jaw error " + e.jaw());
    }

    @Test
    void framesWithoutLandmarksAreBridgedNotFitted(@TempDir Path dir) throws IOException {
        BodyModel m = model(dir);
        BodyEvaluator body = new BodyEvaluator(m);
        double[] shape = { 0.8, -1.1, 0.5, 1.3 };
        List<double[]> obs = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            obs.add(f == 2 ? new double[] { Double.NaN } : project(body, truth(m, shape, f), null, 0));
        }
        ClipFitter.Result r = new ClipFitter(body, CAMERA, WEAK).fit(obs, null);
        assertTrue(r.frames().get(1).tracked());
        assertTrue(!r.frames().get(2).tracked());
        assertTrue(Double.isNaN(r.frames().get(2).rmsPx()));
        assertTrue(r.frames().get(3).rmsPx() < 0.05);
    }
}
