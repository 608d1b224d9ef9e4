package org.portraitgen.tracking.smplx.internal.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

import org.portraitgen.tracking.smplx.internal.body.BodyEvaluator;
import org.portraitgen.tracking.smplx.internal.body.BodyParams;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;

/**
 * Fits a body model to a clip's 2D face landmarks: one identity shape for the clip, and per frame the expression,
 * the rotations of the model's face joints (global, neck/head, jaw) and the translation. Each frame is solved by
 * Levenberg–Marquardt, warm-started from the previous frame with a smoothness term towards it; then all frames and
 * the shared shape are refined together ({@link JointRefinement}) with smoothness between neighbours. With
 * {@link BodyTerms}, a body model (SMPL, SMPL+H, SMPL-X) also fits MediaPipe Pose keypoints (shoulders, elbows,
 * wrists, hips; the spine, collar, shoulder and elbow joints become free) and a frame's person mask (projected contour
 * vertices against the mask boundary's distance field), both robust (Huber).
 */
public final class ClipFitter {

    /**
     * One frame's observations.
     *
     * @param face x,y pixel positions indexed by MediaPipe face-mesh point (NaN or a too-short array: not seen)
     * @param body MediaPipe Pose points, {@link BodyKeypoints#STRIDE} values each (x, y, visibility), or null
     * @param mask the person mask's distance field, or null
     */
    public record Frame(double[] face, double[] body, Silhouette mask) {
        public static Frame faceOnly(double[] face) {
            return new Frame(face, null, null);
        }
    }

    /**
     * Weights of the body terms.
     *
     * @param keypointSigmaPx   keypoint noise (px); hips get three times it
     * @param keypointHuber     Huber threshold of the keypoint residuals, in σ
     * @param minVisibility     keypoints MediaPipe rates below it are ignored; above it they are weighted by it
     * @param silhouetteSigmaPx contour-to-mask-boundary noise (px)
     * @param silhouetteHuber   Huber threshold of the silhouette residuals, in σ
     * @param silhouettePoints  the silhouette term weighs as much as this many independent points, however many
     *                          contour vertices the mesh has (so dense meshes do not drown the keypoints)
     */
    public record BodyTerms(double keypointSigmaPx, double keypointHuber, double minVisibility,
            double silhouetteSigmaPx, double silhouetteHuber, double silhouettePoints) {
        public static final BodyTerms DEFAULT = new BodyTerms(6, 2, 0.5, 3, 2, 20);
    }

    /** Smoothness scales per parameter kind, so that one weight reads as "σ per typical frame-to-frame change". */
    /** Times the silhouette's contour vertices are picked again per frame fit. */
    private static final int CONTOUR_ROUNDS = 4;
    /** At most this many outline vertices enter the silhouette term (an SMPL-X outline has many hundreds). */
    private static final int MAX_CONTOUR_VERTICES = 150;
    private static final double ANGLE_SCALE = 20, EXPRESSION_SCALE = 3, TRANSLATION_SCALE = 100;

    /** The fit of one frame: parameters, whether it had landmarks, RMS reprojection error (px), LM iterations. */
    public record FrameFit(BodyParams params, boolean tracked, double rmsPx, int iterations) {
    }

    public record Result(double[] shape, List<FrameFit> frames) {
        public double meanRmsPx() {
            return frames.stream().filter(FrameFit::tracked).mapToDouble(FrameFit::rmsPx).average().orElse(Double.NaN);
        }
    }

    private final BodyEvaluator body;
    private final BodyModel model;
    private final Pinhole camera;
    private final FitSettings settings;
    private final BodyTerms terms;
    private final MeshContour contour;
    private final int[] freeJoints;
    private final boolean[] freeJointMask;
    /** Model landmarks that have a MediaPipe point, and that point's index. */
    private final int[] landmarks, observed;

    /** Face landmarks only (and masks if given): the model's face joints move. */
    public ClipFitter(BodyEvaluator body, Pinhole camera, FitSettings settings) {
        this(body, camera, settings, null);
    }

    /**
     * @param terms body keypoint and silhouette weights; null: face landmarks only. With terms and a model of the SMPL
     *              body skeleton, the upper-body joints are fitted too.
     */
    public ClipFitter(BodyEvaluator body, Pinhole camera, FitSettings settings, BodyTerms terms) {
        this.body = body;
        this.terms = terms;
        this.model = body.model();
        this.camera = camera;
        this.settings = new FitSettings(Math.min(settings.shapes(), model.shapeCount),
                Math.min(settings.expressions(), model.expressionCount), settings.landmarkSigmaPx(),
                settings.posePrior(), settings.expressionPrior(), settings.shapePrior(), settings.smoothness(),
                settings.iterations(), settings.jointIterations());
        this.freeJointMask = new boolean[model.jointCount];
        for (int j : model.kind.faceJoints(model.jointCount)) {
            freeJointMask[j] = true;
        }
        if (terms != null && BodyKeypoints.applies(model.kind)) {
            for (int j : BodyKeypoints.MOVING_JOINTS) {
                freeJointMask[j] = true;
            }
        }
        this.freeJoints = java.util.stream.IntStream.range(0, model.jointCount).filter(j -> freeJointMask[j])
                .toArray();
        this.contour = terms != null ? new MeshContour(model.faces) : null;
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < model.landmarkCount(); i++) {
            if (model.landmarkMediaPipe[i] >= 0) {
                l.add(i);
            }
        }
        if (l.size() < 6) {
            throw new IllegalArgumentException("model " + model.source + " has " + l.size()
                    + " landmarks related to MediaPipe's face mesh; at least 6 are needed to fit");
        }
        landmarks = l.stream().mapToInt(Integer::intValue).toArray();
        observed = l.stream().mapToInt(i -> model.landmarkMediaPipe[i]).toArray();
    }

    public FitSettings settings() {
        return settings;
    }

    /**
     * @param frames   per frame, x,y pixel positions indexed by MediaPipe point (NaN or a too-short array: not seen)
     * @param progress fraction done in [0, 1], or null
     */
    public Result fit(List<double[]> faces, DoubleConsumer progress) {
        return fitClip(faces.stream().map(Frame::faceOnly).toList(), progress);
    }

    /** Fits a clip of frames with face landmarks and, where present, body keypoints and masks. */
    public Result fitClip(List<Frame> frames, DoubleConsumer progress) {
        double[] shape = new double[settings.shapes()];
        List<FrameFit> fits = fitFrames(frames, shape, f -> {
            if (progress != null) {
                progress.accept(0.5 * (f + 1) / frames.size());
            }
        });
        List<Integer> tracked = new ArrayList<>();
        for (int f = 0; f < fits.size(); f++) {
            if (fits.get(f).tracked()) {
                tracked.add(f);
            }
        }
        if (settings.jointIterations() == 0 || tracked.isEmpty()) {
            return new Result(shape, fits);
        }
        int nS = shape.length, nE = settings.expressions();
        int[] cols = frameColumns(nS, nE);
        int[] combined = new int[nS + cols.length];
        for (int i = 0; i < nS; i++) {
            combined[i] = i;
        }
        System.arraycopy(cols, 0, combined, nS, cols.length);
        double[] smooth = new double[cols.length];
        double[] prior = new double[cols.length];
        for (int i = 0; i < cols.length; i++) {
            smooth[i] = settings.smoothness() * smoothScale(cols[i], nS, nE);
            prior[i] = priorWeight(cols[i], nS, nE);
        }
        List<double[]> xs = new ArrayList<>();
        for (int f : tracked) {
            xs.add(gather(fits.get(f).params().flatten(), cols));
        }
        List<int[]> heldContours = new ArrayList<>(); // held for the whole refinement, from the per-frame fits
        for (int f : tracked) {
            Frame obs = frames.get(f);
            heldContours.add(usesMask(obs) ? contourAt(fits.get(f).params(), obs.mask()) : null);
        }
        JointRefinement joint = new JointRefinement(nS, cols.length, settings.shapePrior(), smooth, (k, s, x) -> {
            int f = tracked.get(k);
            BodyParams p = at(fits.get(f).params(), s, cols, x);
            Observed ob = observe(p, frames.get(f), heldContours.get(k));
            int rows = ob.rows() + cols.length;
            double[] r = new double[rows], jac = new double[rows * combined.length];
            int row = dataRows(ob, frames.get(f), combined, r, jac, 0);
            for (int i = 0; i < cols.length; i++) {
                if (prior[i] > 0) {
                    r[row] = prior[i] * x[i];
                    jac[row * combined.length + nS + i] = prior[i];
                    row++;
                }
            }
            return new LevenbergMarquardt.Evaluation(r, jac, row);
        });
        JointRefinement.Outcome o = joint.minimise(shape, xs, settings.jointIterations());
        List<FrameFit> refined = new ArrayList<>();
        int k = 0;
        for (int f = 0; f < fits.size(); f++) {
            BodyParams base = fits.get(f).params();
            if (fits.get(f).tracked()) {
                BodyParams p = at(base, o.shape(), cols, o.frames().get(k++));
                refined.add(new FrameFit(p, true, rmsPx(p, frames.get(f).face()),
                        fits.get(f).iterations() + o.iterations()));
            } else {
                refined.add(new FrameFit(new BodyParams(o.shape().clone(), base.expression(), base.pose(),
                        base.translation()), false, Double.NaN, 0));
            }
        }
        if (progress != null) {
            progress.accept(1);
        }
        return new Result(o.shape(), refined);
    }

    private static BodyParams at(BodyParams base, double[] shape, int[] cols, double[] x) {
        BodyParams withShape = new BodyParams(shape.clone(), base.expression(), base.pose(), base.translation());
        return withShape.with(scatter(withShape.flatten(), cols, x));
    }

    private static double[] gather(double[] full, int[] cols) {
        double[] x = new double[cols.length];
        for (int c = 0; c < cols.length; c++) {
            x[c] = full[cols[c]];
        }
        return x;
    }

    /** Sequential per-frame fits with the shape fixed, each warm-started from the previous tracked frame. */
    private List<FrameFit> fitFrames(List<Frame> frames, double[] shape, IntConsumer done) {
        List<FrameFit> out = new ArrayList<>();
        BodyParams last = null;
        for (int f = 0; f < frames.size(); f++) {
            Frame obs = frames.get(f);
            if (!visible(obs.face())) {
                BodyParams keep = last != null ? last
                        : BodyParams.zero(shape.length, settings.expressions(), model.jointCount);
                out.add(new FrameFit(new BodyParams(shape.clone(), keep.expression(), keep.pose(),
                        keep.translation()), false, Double.NaN, 0));
            } else {
                BodyParams start = last != null ? last : initial(obs.face(), shape);
                FrameFit fit = fitFrame(obs, new BodyParams(shape.clone(), start.expression(), start.pose(),
                        start.translation()), last, false);
                out.add(fit);
                last = fit.params();
            }
            done.accept(f);
        }
        return out;
    }

    /** One frame: LM over expression, free joints and translation; shape fixed; smoothness towards {@code prev}. */
    public FrameFit fitFrame(double[] obs, BodyParams start, BodyParams prev) {
        return fitFrame(Frame.faceOnly(obs), start, prev, false);
    }

    /**
     * One frame: LM over expression, free joints and translation (or, with {@code translationOnly}, the translation
     * alone); shape fixed; smoothness towards {@code prev}.
     */
    public FrameFit fitFrame(Frame obs, BodyParams start, BodyParams prev, boolean translationOnly) {
        int nS = start.shape().length, nE = start.expression().length;
        int t0 = nS + nE + 3 * model.jointCount;
        int[] cols = translationOnly ? new int[] { t0, t0 + 1, t0 + 2 } : frameColumns(nS, nE);
        double[] full0 = start.flatten();
        double[] prevFull = prev == null ? null : prev.flatten();
        // the contour vertex set is held during each LM solve (so the cost LM compares is continuous) and picked
        // again from the result between rounds, like the correspondences of ICP
        int[][] held = { usesMask(obs) ? contourAt(start, obs.mask()) : null };
        LevenbergMarquardt.Problem problem = new LevenbergMarquardt.Problem() {
            @Override
            public int variables() {
                return cols.length;
            }

            @Override
            public LevenbergMarquardt.Evaluation evaluate(double[] x) {
                double[] full = scatter(full0, cols, x);
                BodyParams p = start.with(full);
                Observed ob = observe(p, obs, held[0]);
                int rows = ob.rows() + cols.length * 2;
                double[] r = new double[rows], jac = new double[rows * cols.length];
                int row = dataRows(ob, obs, cols, r, jac, 0);
                for (int c = 0; c < cols.length; c++) {
                    int col = cols[c];
                    double w = priorWeight(col, nS, nE);
                    if (w > 0) {
                        r[row] = w * full[col];
                        jac[row * cols.length + c] = w;
                        row++;
                    }
                    if (prevFull != null && settings.smoothness() > 0) {
                        double s = settings.smoothness() * smoothScale(col, nS, nE);
                        r[row] = s * (full[col] - prevFull[col]);
                        jac[row * cols.length + c] = s;
                        row++;
                    }
                }
                return new LevenbergMarquardt.Evaluation(r, jac, row);
            }
        };
        double[] x0 = new double[cols.length];
        for (int c = 0; c < cols.length; c++) {
            x0[c] = full0[cols[c]];
        }
        LevenbergMarquardt.Outcome o = LevenbergMarquardt.minimise(problem, x0, settings.iterations());
        int iterations = o.iterations();
        for (int round = 1; round < CONTOUR_ROUNDS && held[0] != null; round++) {
            int[] again = contourAt(start.with(scatter(full0, cols, o.x())), obs.mask());
            if (Arrays.equals(again, held[0])) {
                break;
            }
            held[0] = again;
            o = LevenbergMarquardt.minimise(problem, o.x(), settings.iterations());
            iterations += o.iterations();
        }
        BodyParams p = start.with(scatter(full0, cols, o.x()));
        return new FrameFit(p, true, rmsPx(p, obs.face()), iterations);
    }

    /**
     * A frame's data residuals at {@code p} (face landmarks, body keypoints, silhouette) with their Jacobian over
     * every parameter of {@code p} (row-major [rows, p.size()] into {@code jacobian[0]}); for checks. The silhouette
     * uses the contour vertices {@code contour} (null: the mesh's contour at p), so finite differences can hold it.
     */
    public double[] dataResiduals(Frame obs, BodyParams p, int[] contour, double[][] jacobian) {
        BodyEvaluator.Posed s = body.pose(p);
        int[] c = contour != null ? contour : usesMask(obs) ? contourAt(p, obs.mask()) : null;
        int rows = observe(p, obs, c).rows();
        int[] cols = java.util.stream.IntStream.range(0, p.size()).toArray();
        double[] r = new double[rows], jac = new double[rows * cols.length];
        int used = dataRows(new Observed(s, c, rows), obs, cols, r, jac, 0);
        jacobian[0] = java.util.Arrays.copyOf(jac, used * cols.length);
        return java.util.Arrays.copyOf(r, used);
    }

    /** The mesh's outline contour vertices at {@code p} in {@code mask}'s image (see {@link MeshContour}). */
    public int[] contourAt(BodyParams p, Silhouette mask) {
        int[] all = (contour != null ? contour : new MeshContour(model.faces)).outline(body.vertices(body.pose(p)),
                camera, mask.width, mask.height);
        if (all.length <= MAX_CONTOUR_VERTICES) {
            return all;
        }
        // an even subset: the term's weight does not depend on the count, and each vertex costs a Jacobian
        int[] some = new int[MAX_CONTOUR_VERTICES];
        for (int i = 0; i < some.length; i++) {
            some[i] = all[(int) ((long) i * all.length / some.length)];
        }
        return some;
    }

    /** A posed state and the mesh's contour vertices (when the frame has a mask). */
    private record Observed(BodyEvaluator.Posed posed, int[] contour, int rows) {
    }

    /** The posed state at p, with the contour vertex set {@code c} (null: no silhouette term). */
    private Observed observe(BodyParams p, Frame obs, int[] c) {
        BodyEvaluator.Posed s = body.pose(p, freeJointMask);
        int rows = 2 * landmarks.length;
        if (terms != null && obs.body() != null && BodyKeypoints.applies(model.kind)) {
            rows += 2 * BodyKeypoints.PAIRS.length;
        }
        if (c != null) {
            rows += c.length;
        }
        return new Observed(s, c, rows);
    }

    private boolean usesMask(Frame obs) {
        return terms != null && obs.mask() != null && obs.mask().usable();
    }

    /** Every data term's residuals and Jacobian columns {@code cols}, from {@code row}; returns the next row. */
    private int dataRows(Observed ob, Frame obs, int[] cols, double[] r, double[] jac, int row) {
        row = landmarkRows(ob.posed(), obs.face(), cols, r, jac, row);
        if (terms != null && obs.body() != null && BodyKeypoints.applies(model.kind)) {
            row = keypointRows(ob.posed(), obs.body(), cols, r, jac, row);
        }
        if (ob.contour() != null) {
            row = silhouetteRows(ob.posed(), ob.contour(), obs.mask(), cols, r, jac, row);
        }
        return row;
    }

    /**
     * Body keypoint residuals: the model joint's projection minus MediaPipe's point, over σ, times √visibility,
     * through Huber's loss.
     */
    private int keypointRows(BodyEvaluator.Posed s, double[] kp, int[] cols, double[] r, double[] jac, int row) {
        int n = s.parameterCount();
        double[] x = new double[3], dx = new double[3 * n], uv = new double[2], dp = new double[6];
        double[] e = new double[2], de = new double[4], du = new double[2 * n];
        for (int[] pair : BodyKeypoints.PAIRS) {
            int k = BodyKeypoints.STRIDE * pair[0];
            if (k + 2 >= kp.length || Double.isNaN(kp[k]) || Double.isNaN(kp[k + 1])
                    || !(kp[k + 2] >= terms.minVisibility())) {
                continue;
            }
            body.joint(s, pair[1], x, dx);
            if (x[2] <= 1e-6) {
                continue;
            }
            camera.project(x, uv, dp, null);
            double w = Math.sqrt(kp[k + 2]) / (terms.keypointSigmaPx() * pair[2]);
            e[0] = w * (uv[0] - kp[k]);
            e[1] = w * (uv[1] - kp[k + 1]);
            Robust.huber2(e, terms.keypointHuber(), de);
            for (int c = 0; c < cols.length; c++) {
                int col = cols[c];
                for (int a = 0; a < 2; a++) {
                    du[a * n + col] = w * (dp[3 * a] * dx[col] + dp[3 * a + 1] * dx[n + col]
                            + dp[3 * a + 2] * dx[2 * n + col]);
                }
            }
            for (int a = 0; a < 2; a++) {
                r[row] = e[a];
                for (int c = 0; c < cols.length; c++) {
                    int col = cols[c];
                    jac[row * cols.length + c] = de[2 * a] * du[col] + de[2 * a + 1] * du[n + col];
                }
                row++;
            }
        }
        return row;
    }

    /**
     * Silhouette residuals: each contour vertex's projected signed distance to the mask edge, over σ, through Huber's
     * loss, scaled so the term weighs as {@link BodyTerms#silhouettePoints()} points. Vertices projecting outside the
     * image or behind the camera are skipped (the image border is no boundary).
     */
    private int silhouetteRows(BodyEvaluator.Posed s, int[] vertices, Silhouette mask, int[] cols, double[] r,
            double[] jac, int row) {
        if (vertices.length == 0) {
            return row;
        }
        int n = s.parameterCount();
        double[] x = new double[3], dx = new double[3 * n], uv = new double[2], dp = new double[6];
        double[] g = new double[2], slope = new double[1];
        double w = Math.sqrt(terms.silhouettePoints() / vertices.length), inv = 1 / terms.silhouetteSigmaPx();
        for (int v : vertices) {
            java.util.Arrays.fill(dx, 0);
            body.vertex(s, v, x, dx, 1);
            if (x[2] <= 1e-6) {
                continue;
            }
            camera.project(x, uv, dp, null);
            double d = mask.sample(uv[0], uv[1], g);
            if (Double.isNaN(d)) {
                continue;
            }
            r[row] = w * Robust.huber1(d * inv, terms.silhouetteHuber(), slope);
            for (int c = 0; c < cols.length; c++) {
                int col = cols[c];
                double du = dp[0] * dx[col] + dp[1] * dx[n + col] + dp[2] * dx[2 * n + col];
                double dv = dp[3] * dx[col] + dp[4] * dx[n + col] + dp[5] * dx[2 * n + col];
                jac[row * cols.length + c] = w * slope[0] * inv * (g[0] * du + g[1] * dv);
            }
            row++;
        }
        return row;
    }

    /** Landmark residuals (px / σ) and their Jacobian columns {@code cols}, from {@code row}; returns the next row. */
    private int landmarkRows(BodyEvaluator.Posed s, double[] obs, int[] cols, double[] r, double[] jac, int row) {
        int n = s.parameterCount();
        double[] x = new double[3], dx = new double[3 * n], uv = new double[2], dp = new double[6];
        double inv = 1 / settings.landmarkSigmaPx();
        for (int i = 0; i < landmarks.length; i++) {
            int o = observed[i];
            if (2 * o + 1 >= obs.length || Double.isNaN(obs[2 * o]) || Double.isNaN(obs[2 * o + 1])) {
                continue;
            }
            body.landmark(s, landmarks[i], x, dx);
            if (x[2] <= 1e-6) {
                continue; // behind the camera: no useful gradient
            }
            camera.project(x, uv, dp, null);
            for (int a = 0; a < 2; a++) {
                r[row] = (uv[a] - obs[2 * o + a]) * inv;
                for (int c = 0; c < cols.length; c++) {
                    int col = cols[c];
                    jac[row * cols.length + c] = inv * (dp[3 * a] * dx[col] + dp[3 * a + 1] * dx[n + col]
                            + dp[3 * a + 2] * dx[2 * n + col]);
                }
                row++;
            }
        }
        return row;
    }

    /** RMS landmark reprojection error in pixels. */
    public double rmsPx(BodyParams p, double[] obs) {
        BodyEvaluator.Posed s = body.pose(p);
        double[] x = new double[3], uv = new double[2];
        double sum = 0;
        int count = 0;
        for (int i = 0; i < landmarks.length; i++) {
            int o = observed[i];
            if (2 * o + 1 >= obs.length || Double.isNaN(obs[2 * o])) {
                continue;
            }
            body.landmark(s, landmarks[i], x, null);
            camera.project(x, uv, null, null);
            sum += sq(uv[0] - obs[2 * o]) + sq(uv[1] - obs[2 * o + 1]);
            count++;
        }
        return count == 0 ? Double.NaN : Math.sqrt(sum / count);
    }

    /**
     * A start for a frame without history: the model facing the camera (a half turn about x turns its y-up, z-front
     * frame into OpenCV's y-down view) at the depth where its landmark spread matches the observed one.
     */
    public BodyParams initial(double[] obs, double[] shape) {
        BodyParams p = BodyParams.zero(shape.length, settings.expressions(), model.jointCount);
        System.arraycopy(shape, 0, p.shape(), 0, shape.length);
        p.pose()[0] = Math.PI;
        BodyEvaluator.Posed s = body.pose(p);
        double[] x = new double[3];
        double[] mc = new double[3], oc = new double[2];
        List<double[]> pts = new ArrayList<>(), seen = new ArrayList<>();
        for (int i = 0; i < landmarks.length; i++) {
            int o = observed[i];
            if (2 * o + 1 >= obs.length || Double.isNaN(obs[2 * o])) {
                continue;
            }
            body.landmark(s, landmarks[i], x, null);
            pts.add(x.clone());
            seen.add(new double[] { obs[2 * o], obs[2 * o + 1] });
        }
        if (pts.isEmpty()) {
            return p;
        }
        for (int i = 0; i < pts.size(); i++) {
            for (int c = 0; c < 3; c++) {
                mc[c] += pts.get(i)[c] / pts.size();
            }
            oc[0] += seen.get(i)[0] / pts.size();
            oc[1] += seen.get(i)[1] / pts.size();
        }
        double ms = 0, os = 0;
        for (int i = 0; i < pts.size(); i++) {
            ms += sq(pts.get(i)[0] - mc[0]) + sq(pts.get(i)[1] - mc[1]);
            os += sq(seen.get(i)[0] - oc[0]) + sq(seen.get(i)[1] - oc[1]);
        }
        double depth = os > 0 ? camera.fx() * Math.sqrt(ms / os) : 1;
        p.translation()[0] = (oc[0] - camera.cx()) / camera.fx() * depth - mc[0];
        p.translation()[1] = (oc[1] - camera.cy()) / camera.fy() * depth - mc[1];
        p.translation()[2] = depth - mc[2];
        return p;
    }

    private int[] frameColumns(int nS, int nE) {
        int[] cols = new int[nE + 3 * freeJoints.length + 3];
        int c = 0;
        for (int e = 0; e < nE; e++) {
            cols[c++] = nS + e;
        }
        for (int j : freeJoints) {
            for (int m = 0; m < 3; m++) {
                cols[c++] = nS + nE + 3 * j + m;
            }
        }
        int t = nS + nE + 3 * model.jointCount;
        for (int m = 0; m < 3; m++) {
            cols[c++] = t + m;
        }
        return cols;
    }

    private double priorWeight(int col, int nS, int nE) {
        if (col < nS) {
            return settings.shapePrior();
        }
        if (col < nS + nE) {
            return settings.expressionPrior();
        }
        if (col < nS + nE + 3) {
            return 0; // the global rotation is free
        }
        return col < nS + nE + 3 * model.jointCount ? settings.posePrior() : 0;
    }

    private double smoothScale(int col, int nS, int nE) {
        if (col < nS + nE) {
            return EXPRESSION_SCALE;
        }
        return col < nS + nE + 3 * model.jointCount ? ANGLE_SCALE : TRANSLATION_SCALE;
    }

    private boolean visible(double[] obs) {
        if (obs == null) {
            return false;
        }
        int seen = 0;
        for (int o : observed) {
            if (2 * o + 1 < obs.length && !Double.isNaN(obs[2 * o])) {
                seen++;
            }
        }
        return seen >= 6;
    }

    private static double[] scatter(double[] full, int[] cols, double[] x) {
        double[] out = full.clone();
        for (int c = 0; c < cols.length; c++) {
            out[cols[c]] = x[c];
        }
        return out;
    }

    private static double sq(double v) {
        return v * v;
    }
}
