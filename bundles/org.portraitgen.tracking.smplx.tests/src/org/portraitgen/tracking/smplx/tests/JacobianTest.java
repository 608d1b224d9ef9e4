package org.portraitgen.tracking.smplx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.tracking.smplx.internal.body.BodyEvaluator;
import org.portraitgen.tracking.smplx.internal.body.BodyParams;
import org.portraitgen.tracking.smplx.internal.body.Rodrigues;
import org.portraitgen.tracking.smplx.internal.fit.Pinhole;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;
import org.portraitgen.tracking.smplx.internal.model.ModelKind;
import org.portraitgen.tracking.smplx.internal.model.ModelLoader;

/**
 * Analytic Jacobians of the body model (vertices, landmarks, joints), Rodrigues and the projection against central
 * finite differences in double precision. Tolerance: h = 1e-6 gives truncation ~h² and round-off ~1e-16/h, so
 * 1e-7 relative to the largest entry leaves two orders of margin.
 */
class JacobianTest {
    private static final double H = 1e-6, TOL = 1e-7;

    private static BodyModel model(Path dir, SyntheticModel s) throws IOException {
        Path f = dir.resolve("model.npz");
        s.write(f);
        return ModelLoader.load(f);
    }

    private static BodyParams randomParams(BodyModel m, int nS, int nE, Random rnd, double rootAngle) {
        BodyParams p = BodyParams.zero(nS, nE, m.jointCount);
        for (int i = 0; i < nS; i++) {
            p.shape()[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < nE; i++) {
            p.expression()[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < p.pose().length; i++) {
            p.pose()[i] = 0.4 * rnd.nextGaussian();
        }
        p.pose()[0] = rootAngle;
        for (int c = 0; c < 3; c++) {
            p.translation()[c] = 0.1 * rnd.nextGaussian();
        }
        return p;
    }

    /** Max |analytic − central difference| over all entries, relative to the largest analytic entry. */
    private static double check(BodyParams p, double[] analytic, Function<BodyParams, double[]> f, String what) {
        double[] x = p.flatten();
        int n = x.length;
        double worst = 0, scale = 1e-12;
        for (double a : analytic) {
            scale = Math.max(scale, Math.abs(a));
        }
        for (int k = 0; k < n; k++) {
            double[] xp = x.clone(), xm = x.clone();
            xp[k] += H;
            xm[k] -= H;
            double[] fp = f.apply(p.with(xp)), fm = f.apply(p.with(xm));
            for (int c = 0; c < 3; c++) {
                double fd = (fp[c] - fm[c]) / (2 * H);
                worst = Math.max(worst, Math.abs(fd - analytic[c * n + k]));
            }
        }
        double rel = worst / scale;
        assertTrue(rel < TOL, what + ": relative Jacobian error " + rel);
        return rel;
    }

    @Test
    void vertexLandmarkAndJointJacobiansMatchFiniteDifferencesOnABranchedTree(@TempDir Path dir) throws IOException {
        SyntheticModel s = SyntheticModel.branched();
        s.correctiveScale = 0.02; // large correctives so their derivative is visible
        BodyModel m = model(dir, s);
        assertEquals(ModelKind.GENERIC, m.kind);
        BodyEvaluator body = new BodyEvaluator(m);
        Random rnd = new Random(3);
        double worst = 0;
        for (double root : new double[] { 2.5, 1e-7 }) { // a large rotation and one inside the Taylor branch
            BodyParams p = randomParams(m, 2, 2, rnd, root); // prefixes of the 3 shape / 2 expression components
            BodyEvaluator.Posed posed = body.pose(p);
            int n = p.size();
            for (int v = 0; v < m.vertexCount; v += 3) {
                double[] jac = new double[3 * n];
                body.vertex(posed, v, new double[3], jac, 1);
                final int vertex = v;
                worst = Math.max(worst, check(p, jac, q -> {
                    double[] out = new double[3];
                    body.vertex(body.pose(q), vertex, out, null, 1);
                    return out;
                }, "vertex " + v));
            }
            for (int l = 0; l < m.landmarkCount(); l++) {
                double[] jac = new double[3 * n];
                body.landmark(posed, l, new double[3], jac);
                final int lm = l;
                worst = Math.max(worst, check(p, jac, q -> {
                    double[] out = new double[3];
                    body.landmark(body.pose(q), lm, out, null);
                    return out;
                }, "landmark " + l));
            }
            for (int j = 0; j < m.jointCount; j++) {
                double[] jac = new double[3 * n];
                body.joint(posed, j, new double[3], jac);
                final int joint = j;
                worst = Math.max(worst, check(p, jac, q -> {
                    double[] out = new double[3];
                    body.joint(body.pose(q), joint, out, null);
                    return out;
                }, "joint " + j));
            }
        }
        System.out.printf("body model Jacobians: worst relative error vs central differences %.2e%n", worst);
        // a state restricted to some joints' pose columns gives the same numbers there and zeros elsewhere
        BodyParams p = randomParams(m, 2, 2, rnd, 0.3);
        boolean[] only = { true, false, false, true, false, false, true };
        int n = p.size(), nb = 4;
        for (int v = 0; v < m.vertexCount; v += 5) {
            double[] all = new double[3 * n], some = new double[3 * n];
            body.vertex(body.pose(p), v, new double[3], all, 1);
            body.vertex(body.pose(p, only), v, new double[3], some, 1);
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < n; k++) {
                    boolean pose = k >= nb && k < nb + 3 * m.jointCount;
                    double want = pose && !only[(k - nb) / 3] ? 0 : all[c * n + k];
                    assertEquals(want, some[c * n + k], 0, "vertex " + v + " column " + k);
                }
            }
        }
    }

    @Test
    void fullMeshEqualsPerVertexEvaluationAndRestPoseGivesTheTemplate(@TempDir Path dir) throws IOException {
        BodyModel m = model(dir, SyntheticModel.flameLike(6, 8, 10));
        BodyEvaluator body = new BodyEvaluator(m);
        double[] rest = body.vertices(body.pose(BodyParams.zero(0, 0, m.jointCount)));
        for (int i = 0; i < rest.length; i++) {
            assertEquals(m.template[i], rest[i], 1e-12, "rest pose must reproduce the template");
        }
        // a pure translation moves every vertex by it; a root rotation keeps distances to the root joint
        BodyParams moved = BodyParams.zero(0, 0, m.jointCount);
        moved.translation()[2] = 0.5;
        double[] t = body.vertices(body.pose(moved));
        for (int i = 0; i < rest.length; i += 3) {
            assertEquals(rest[i + 2] + 0.5, t[i + 2], 1e-12);
        }
    }

    @Test
    void rodriguesDerivativeMatchesFiniteDifferencesAcrossAngles() {
        double[] r = new double[3], rot = new double[9], d = new double[27], rp = new double[9], rm = new double[9];
        for (double scale : new double[] { 0, 1e-5, 9e-4, 1.1e-3, 0.7, 3.0 }) {
            r[0] = 0.6 * scale;
            r[1] = -0.48 * scale;
            r[2] = 0.64 * scale;
            Rodrigues.rotation(r, 0, rot, 0, d, 0);
            double det = rot[0] * (rot[4] * rot[8] - rot[5] * rot[7]) - rot[1] * (rot[3] * rot[8] - rot[5] * rot[6])
                    + rot[2] * (rot[3] * rot[7] - rot[4] * rot[6]);
            assertEquals(1, det, 1e-12, "a rotation");
            for (int m = 0; m < 3; m++) {
                double[] a = r.clone(), b = r.clone();
                a[m] += H;
                b[m] -= H;
                Rodrigues.rotation(a, 0, rp, 0, null, 0);
                Rodrigues.rotation(b, 0, rm, 0, null, 0);
                for (int q = 0; q < 9; q++) {
                    assertEquals((rp[q] - rm[q]) / (2 * H), d[9 * m + q], 1e-8, "θ = " + scale + " dR/dr" + m);
                }
            }
        }
    }

    @Test
    void projectionJacobianMatchesFiniteDifferences() {
        Pinhole cam = new Pinhole(510, 490, 130, 120);
        double[] p = { 0.05, -0.03, 0.7 }, uv = new double[2], dp = new double[6], df = new double[2];
        cam.project(p, uv, dp, df);
        double[] up = new double[2], um = new double[2];
        for (int c = 0; c < 3; c++) {
            double[] a = p.clone(), b = p.clone();
            a[c] += H;
            b[c] -= H;
            cam.project(a, up, null, null);
            cam.project(b, um, null, null);
            for (int k = 0; k < 2; k++) {
                assertEquals((up[k] - um[k]) / (2 * H), dp[3 * k + c], 1e-4, "d uv" + k + " / d p" + c);
            }
        }
        new Pinhole(510 * (1 + H), 490 * (1 + H), 130, 120).project(p, up, null, null);
        new Pinhole(510 * (1 - H), 490 * (1 - H), 130, 120).project(p, um, null, null);
        for (int k = 0; k < 2; k++) {
            assertEquals((up[k] - um[k]) / (2 * H), df[k], 1e-4, "d uv" + k + " / d focal");
        }
    }
}
