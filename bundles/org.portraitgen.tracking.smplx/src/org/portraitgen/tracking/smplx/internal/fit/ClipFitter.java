package org.portraitgen.tracking.smplx.internal.fit;

import java.util.ArrayList;
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
 * the shared shape are refined together ({@link JointRefinement}) with smoothness between neighbours.
 */
public final class ClipFitter {

    /** Smoothness scales per parameter kind, so that one weight reads as "σ per typical frame-to-frame change". */
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
    private final int[] freeJoints;
    private final boolean[] freeJointMask;
    /** Model landmarks that have a MediaPipe point, and that point's index. */
    private final int[] landmarks, observed;

    public ClipFitter(BodyEvaluator body, Pinhole camera, FitSettings settings) {
        this.body = body;
        this.model = body.model();
        this.camera = camera;
        this.settings = new FitSettings(Math.min(settings.shapes(), model.shapeCount),
                Math.min(settings.expressions(), model.expressionCount), settings.landmarkSigmaPx(),
                settings.posePrior(), settings.expressionPrior(), settings.shapePrior(), settings.smoothness(),
                settings.iterations(), settings.jointIterations());
        this.freeJoints = model.kind.faceJoints(model.jointCount);
        this.freeJointMask = new boolean[model.jointCount];
        for (int j : freeJoints) {
            freeJointMask[j] = true;
        }
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
    public Result fit(List<double[]> frames, DoubleConsumer progress) {
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
        JointRefinement joint = new JointRefinement(nS, cols.length, settings.shapePrior(), smooth, (k, s, x) -> {
            int f = tracked.get(k);
            BodyParams p = at(fits.get(f).params(), s, cols, x);
            int rows = 2 * landmarks.length + cols.length;
            double[] r = new double[rows], jac = new double[rows * combined.length];
            int row = landmarkRows(p, frames.get(f), combined, r, jac, 0);
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
                refined.add(new FrameFit(p, true, rmsPx(p, frames.get(f)), fits.get(f).iterations() + o.iterations()));
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
    private List<FrameFit> fitFrames(List<double[]> frames, double[] shape, IntConsumer done) {
        List<FrameFit> out = new ArrayList<>();
        BodyParams last = null;
        for (int f = 0; f < frames.size(); f++) {
            double[] obs = frames.get(f);
            if (!visible(obs)) {
                BodyParams keep = last != null ? last
                        : BodyParams.zero(shape.length, settings.expressions(), model.jointCount);
                out.add(new FrameFit(new BodyParams(shape.clone(), keep.expression(), keep.pose(),
                        keep.translation()), false, Double.NaN, 0));
            } else {
                BodyParams start = last != null ? last : initial(obs, shape);
                FrameFit fit = fitFrame(obs, new BodyParams(shape.clone(), start.expression(), start.pose(),
                        start.translation()), last);
                out.add(fit);
                last = fit.params();
            }
            done.accept(f);
        }
        return out;
    }

    /** One frame: LM over expression, free joints and translation; shape fixed; smoothness towards {@code prev}. */
    public FrameFit fitFrame(double[] obs, BodyParams start, BodyParams prev) {
        int nS = start.shape().length, nE = start.expression().length;
        int[] cols = frameColumns(nS, nE);
        double[] full0 = start.flatten();
        double[] prevFull = prev == null ? null : prev.flatten();
        LevenbergMarquardt.Problem problem = new LevenbergMarquardt.Problem() {
            @Override
            public int variables() {
                return cols.length;
            }

            @Override
            public LevenbergMarquardt.Evaluation evaluate(double[] x) {
                double[] full = scatter(full0, cols, x);
                BodyParams p = start.with(full);
                int rows = 2 * landmarks.length + cols.length * 2;
                double[] r = new double[rows], jac = new double[rows * cols.length];
                int row = landmarkRows(p, obs, cols, r, jac, 0);
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
        BodyParams p = start.with(scatter(full0, cols, o.x()));
        return new FrameFit(p, true, rmsPx(p, obs), o.iterations());
    }

    /** Landmark residuals (px / σ) and their Jacobian columns {@code cols}, from {@code row}; returns the next row. */
    private int landmarkRows(BodyParams p, double[] obs, int[] cols, double[] r, double[] jac, int row) {
        BodyEvaluator.Posed s = body.pose(p, freeJointMask);
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
