package org.portraitgen.tracking.smplx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.tracking.smplx.internal.body.BodyEvaluator;
import org.portraitgen.tracking.smplx.internal.body.BodyParams;
import org.portraitgen.tracking.smplx.internal.fit.BodyKeypoints;
import org.portraitgen.tracking.smplx.internal.fit.ClipFitter;
import org.portraitgen.tracking.smplx.internal.fit.FitSettings;
import org.portraitgen.tracking.smplx.internal.fit.MeshContour;
import org.portraitgen.tracking.smplx.internal.fit.Pinhole;
import org.portraitgen.tracking.smplx.internal.fit.Silhouette;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;
import org.portraitgen.tracking.smplx.internal.model.ModelKind;
import org.portraitgen.tracking.smplx.internal.model.ModelLoader;

/**
 * The body terms: MediaPipe Pose keypoints against SMPL-X body joints, and the person mask's distance field against
 * the mesh's projected contour. Jacobians against central differences; a synthetic upper body's arm pose recovered
 * from its projected joints; a head whose translation and depth (scale) are put right by its silhouette alone.
 */
class BodyTermsTest {
    static final Pinhole BODY_CAMERA = new Pinhole(500, 500, 200, 200);
    static final FitSettings WEAK = new FitSettings(2, 2, 1.0, 0.02, 0.002, 0.002, 0.05, 30, 40);
    /** MediaPipe Pose point → SMPL-X joint, as the fitter relates them. */
    static final int[] POINTS = { 11, 12, 13, 14, 15, 16, 23, 24 };

    static BodyModel upperBody(Path dir) throws IOException {
        Path f = dir.resolve("body.npz");
        SyntheticModel.upperBody().write(f);
        return ModelLoader.load(f);
    }

    /** Frame f of a clip: facing the camera at 2.2 m, arms lowered and waving in the image plane, elbows bending. */
    static BodyParams truth(BodyModel m, int f) {
        BodyParams p = BodyParams.zero(2, 2, m.jointCount);
        p.shape()[0] = 0.5;
        p.shape()[1] = -0.5;
        double t = f / 3.0;
        p.pose()[0] = Math.PI + 0.05 * Math.sin(t);
        p.pose()[1] = 0.1 * Math.sin(0.5 * t);
        p.pose()[3 * 16 + 2] = -0.9 + 0.2 * Math.sin(t); // left shoulder: arm down
        p.pose()[3 * 17 + 2] = 0.8 - 0.15 * Math.cos(t);
        p.pose()[3 * 16 + 1] = 0.15;
        p.pose()[3 * 18 + 2] = 0.7 + 0.2 * Math.sin(1.3 * t); // left elbow: forearm up
        p.pose()[3 * 19 + 2] = -0.5;
        p.pose()[3 * 15] = 0.1 * Math.sin(t); // head nod
        p.expression()[0] = 0.5 * Math.sin(t);
        p.translation()[1] = 0.2;
        p.translation()[2] = 2.2 + 0.02 * f;
        return p;
    }

    /** MediaPipe-Pose-shaped keypoints: the mapped joints projected, visibility 0.9, the rest NaN. */
    static double[] keypoints(BodyEvaluator body, BodyParams p, Pinhole cam) {
        double[] kp = new double[BodyKeypoints.POINTS * BodyKeypoints.STRIDE];
        Arrays.fill(kp, Double.NaN);
        BodyEvaluator.Posed s = body.pose(p);
        double[] x = new double[3], uv = new double[2];
        for (int point : POINTS) {
            body.joint(s, BodyKeypoints.jointOf(point), x, null);
            cam.project(x, uv, null, null);
            kp[3 * point] = uv[0];
            kp[3 * point + 1] = uv[1];
            kp[3 * point + 2] = 0.9;
        }
        return kp;
    }

    /**
     * The mesh's projection as a binary mask (pixel centres inside any projected triangle), by the coverage the
     * contour's outline test uses (its outline filter is checked by the silhouette recovery itself).
     */
    static float[] renderMask(BodyEvaluator body, BodyParams p, Pinhole cam, int w, int h) {
        double[] v = body.vertices(body.pose(p));
        int[] f = body.model().faces;
        float[] mask = new float[w * h];
        double[] uv = new double[2 * v.length / 3], q = new double[2], x = new double[3];
        for (int i = 0; i < v.length / 3; i++) {
            System.arraycopy(v, 3 * i, x, 0, 3);
            cam.project(x, q, null, null);
            uv[2 * i] = q[0];
            uv[2 * i + 1] = q[1];
        }
        boolean[] covered = MeshContour.coverage(uv, f, w, h);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = covered[i] ? 1 : 0;
        }
        return mask;
    }

    @Test
    void distanceFieldMatchesBruteForce() {
        int w = 41, h = 29;
        Random rnd = new Random(3);
        float[] mask = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) { // two blobs and noise
                boolean in = Math.hypot(x - 12, y - 14) < 9 || Math.hypot(x - 30, y - 10) < 6 || rnd.nextInt(60) == 0;
                mask[y * w + x] = in ? 1 : 0;
            }
        }
        Silhouette s = new Silhouette(mask, w, h, 0.5);
        double worst = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = mask[y * w + x] > 0.5;
                double best = Double.POSITIVE_INFINITY; // to the nearest pixel of the other side
                for (int by = 0; by < h; by++) {
                    for (int bx = 0; bx < w; bx++) {
                        if (mask[by * w + bx] > 0.5 != in) {
                            best = Math.min(best, Math.hypot(bx - x, by - y));
                        }
                    }
                }
                double signed = in ? 0.5 - best : best - 0.5; // the edge lies halfway between the two pixels
                worst = Math.max(worst, Math.abs(signed - s.at(x, y)));
            }
        }
        assertTrue(worst < 1e-4, "distance field differs from brute force by " + worst + " px");
        double[] g = new double[2];
        assertEquals(s.at(3, 4), s.sample(3, 4, g), 1e-6);
        assertTrue(Double.isNaN(s.sample(-0.5, 3, g)), "outside the image: no distance");
        assertTrue(!new Silhouette(new float[w * h], w, h, 0.5).usable(), "an empty mask has no silhouette");
        float[] full = new float[w * h];
        Arrays.fill(full, 1);
        assertTrue(!new Silhouette(full, w, h, 0.5).usable(), "a full mask has no silhouette");
    }

    @Test
    void keypointAndSilhouetteJacobiansMatchFiniteDifferences(@TempDir Path dir) throws IOException {
        BodyModel m = upperBody(dir);
        assertEquals(ModelKind.SMPLX, m.kind);
        BodyEvaluator body = new BodyEvaluator(m);
        BodyParams t = truth(m, 1);
        double[] kp = keypoints(body, t, BODY_CAMERA);
        for (int i = 0; i < POINTS.length; i += 2) { // some beyond the Huber threshold (2 σ of 6 px)
            kp[3 * POINTS[i]] += 25;
        }
        ClipFitter fitter = new ClipFitter(body, BODY_CAMERA, WEAK, ClipFitter.BodyTerms.DEFAULT);
        Silhouette sil = new Silhouette(renderMask(body, t, BODY_CAMERA, 400, 400), 400, 400, 0.5);
        double[] face = FitRecoveryTest.project(body, t, null, 0, BODY_CAMERA);
        ClipFitter.Frame frame = new ClipFitter.Frame(face, kp, sil);
        Random rnd = new Random(9);
        double[] x0 = t.flatten();
        for (int i = 0; i < x0.length; i++) {
            x0[i] += 0.03 * rnd.nextGaussian();
        }
        BodyParams p = t.with(x0);
        int[] contour = fitter.contourAt(p, sil);
        assertTrue(contour.length > 50, "contour vertices " + contour.length);
        double[][] jac = new double[1][];
        double[] r = fitter.dataResiduals(frame, p, contour, jac);
        int n = x0.length, rows = r.length;
        assertTrue(rows > 2 * 24 + 2 * POINTS.length, "rows " + rows);
        double h = 1e-6, worst = 0, scale = 0;
        for (double v : jac[0]) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int c = 0; c < n; c++) {
            double[] a = x0.clone(), b = x0.clone();
            a[c] += h;
            b[c] -= h;
            double[] ra = fitter.dataResiduals(frame, t.with(a), contour, new double[1][]);
            double[] rb = fitter.dataResiduals(frame, t.with(b), contour, new double[1][]);
            for (int k = 0; k < rows; k++) {
                double fd = (ra[k] - rb[k]) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - jac[0][k * n + c]));
            }
        }
        System.out.printf("body terms Jacobian: %d rows (%d contour vertices) x %d parameters, worst |analytic - FD|"
                + " %.2e (largest entry %.2e)%n", rows, contour.length, n, worst, scale);
        assertTrue(worst < 1e-5 * scale, "worst Jacobian error " + worst + " of " + scale);
    }

    @Test
    void armPoseRecoveredFromProjectedJoints(@TempDir Path dir) throws IOException {
        BodyModel m = upperBody(dir);
        BodyEvaluator body = new BodyEvaluator(m);
        List<BodyParams> truths = new ArrayList<>();
        List<ClipFitter.Frame> frames = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            BodyParams t = truth(m, f);
            truths.add(t);
            frames.add(new ClipFitter.Frame(FitRecoveryTest.project(body, t, null, 0, BODY_CAMERA),
                    keypoints(body, t, BODY_CAMERA), null));
        }
        ClipFitter.BodyTerms terms = new ClipFitter.BodyTerms(1, 3, 0.5, 3, 2, 20);
        ClipFitter.Result r = new ClipFitter(body, BODY_CAMERA, WEAK, terms).fitClip(frames, null);
        ClipFitter.Result faceOnly = new ClipFitter(body, BODY_CAMERA, WEAK).fitClip(frames, null);
        double px = 0, mm = 0, faceOnlyMm = 0;
        int[] arm = { 16, 17, 18, 19, 20, 21 };
        for (int f = 0; f < 4; f++) {
            double[] want = keypoints(body, truths.get(f), BODY_CAMERA);
            double[] got = keypoints(body, r.frames().get(f).params(), BODY_CAMERA);
            for (int point : POINTS) {
                px = Math.max(px,
                        Math.hypot(got[3 * point] - want[3 * point], got[3 * point + 1] - want[3 * point + 1]));
            }
            double[] jt = body.joints(body.pose(truths.get(f)));
            double[] jf = body.joints(body.pose(r.frames().get(f).params()));
            double[] jo = body.joints(body.pose(faceOnly.frames().get(f).params()));
            for (int j : arm) {
                mm = Math.max(mm, 1000 * dist(jt, jf, j));
                faceOnlyMm = Math.max(faceOnlyMm, 1000 * dist(jt, jo, j));
            }
        }
        System.out.printf("arm pose from keypoints (4 frames at 2.2 m): worst keypoint reprojection %.3f px, worst"
                + " shoulder/elbow/wrist error %.1f mm (face landmarks only: %.1f mm), face reprojection %.3f px%n", px,
                mm, faceOnlyMm, r.meanRmsPx());
        // measured 0.06 px, 0.8 mm; without keypoints 390 mm (arms at rest)
        assertTrue(px < 0.5, "keypoint reprojection " + px + " px");
        assertTrue(mm < 30, "arm joint error " + mm + " mm");
        assertTrue(faceOnlyMm > 100, "without keypoints the arms stay at rest: " + faceOnlyMm + " mm");
        assertTrue(r.meanRmsPx() < 0.1, "face reprojection " + r.meanRmsPx());
    }

    private static double dist(double[] a, double[] b, int j) {
        return Math.sqrt(Math.pow(a[3 * j] - b[3 * j], 2) + Math.pow(a[3 * j + 1] - b[3 * j + 1], 2)
                + Math.pow(a[3 * j + 2] - b[3 * j + 2], 2));
    }

    @Test
    void silhouetteAloneCorrectsTranslationAndDepth(@TempDir Path dir) throws IOException {
        BodyModel m = FitRecoveryTest.model(dir);
        BodyEvaluator body = new BodyEvaluator(m);
        BodyParams t = FitRecoveryTest.truth(m, new double[] { 0.8, -1.1, 0.5, 1.3 }, 2);
        t.translation()[1] = 0.12; // the whole head inside the 256² image
        Silhouette sil = new Silhouette(renderMask(body, t, FitRecoveryTest.CAMERA, 256, 256), 256, 256, 0.5);
        BodyParams start = t.copy();
        start.translation()[0] += 0.012;
        start.translation()[1] -= 0.009;
        start.translation()[2] *= 1.08; // the head looks 8 % smaller
        ClipFitter fitter = new ClipFitter(body, FitRecoveryTest.CAMERA, FitRecoveryTest.WEAK,
                ClipFitter.BodyTerms.DEFAULT);
        ClipFitter.FrameFit fit = fitter.fitFrame(new ClipFitter.Frame(new double[0], null, sil), start, null, true);
        double[] before = new double[3], after = new double[3];
        for (int c = 0; c < 3; c++) {
            before[c] = 1000 * Math.abs(start.translation()[c] - t.translation()[c]);
            after[c] = 1000 * Math.abs(fit.params().translation()[c] - t.translation()[c]);
        }
        System.out.printf("silhouette only: translation error x/y/z %.1f/%.1f/%.1f mm -> %.2f/%.2f/%.2f mm"
                + " (%d iterations)%n", before[0], before[1], before[2], after[0], after[1], after[2],
                fit.iterations());
        // measured 0.08/0.05/0.29 mm (at 65 cm, a pixel is about 1.1 mm)
        assertTrue(after[0] < 0.5 && after[1] < 0.5, "image-plane error " + after[0] + ", " + after[1] + " mm");
        assertTrue(after[2] < 3, "depth error " + after[2] + " mm (was " + before[2] + ")");
    }
}
