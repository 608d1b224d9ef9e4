package org.portraitgen.tracking.smplx.internal.fit;

import java.util.ArrayList;
import java.util.List;

/**
 * Levenberg–Marquardt over a whole clip at once: the shared shape and every tracked frame's own parameters, as in
 * bundle adjustment. The normal equations are block-arrow shaped (shape couples to every frame, frames only to
 * themselves), so each step eliminates the frame blocks (Schur complement) and solves for the shape first. Smoothness
 * between neighbouring frames enters the gradient exactly and the Hessian by its diagonal blocks only, which keeps
 * the blocks independent; the accept test on the exact cost keeps the iteration monotone.
 */
final class JointRefinement {

    /** One frame's residuals: rows of [shape | frame] Jacobian columns, plus its own prior rows. */
    interface FrameTerms {
        /** Residuals and Jacobian [rows, nS + nF] of frame {@code f} at shape {@code s} and frame variables x. */
        LevenbergMarquardt.Evaluation evaluate(int frame, double[] shape, double[] x);
    }

    record Outcome(double[] shape, List<double[]> frames, double cost, int iterations) {
    }

    private final int nS, nF;
    private final double shapePrior;
    /** Smoothness weight per frame variable, applied to consecutive entries of the frame list. */
    private final double[] smooth;
    private final FrameTerms terms;

    JointRefinement(int nS, int nF, double shapePrior, double[] smooth, FrameTerms terms) {
        this.nS = nS;
        this.nF = nF;
        this.shapePrior = shapePrior;
        this.smooth = smooth;
        this.terms = terms;
    }

    private final class Blocks {
        double cost;
        final double[] ass = new double[nS * nS], gs = new double[nS];
        final List<double[]> aff = new ArrayList<>(), afs = new ArrayList<>(), gf = new ArrayList<>();
    }

    Outcome minimise(double[] shape0, List<double[]> frames0, int maxIterations) {
        double[] shape = shape0.clone();
        List<double[]> xs = new ArrayList<>();
        frames0.forEach(x -> xs.add(x.clone()));
        Blocks cur = assemble(shape, xs, true);
        double mu = 1e-3;
        int it = 0;
        while (it < maxIterations) {
            it++;
            boolean accepted = false;
            for (int attempt = 0; attempt < 8 && !accepted; attempt++) {
                double[] ds = new double[nS];
                List<double[]> dx = new ArrayList<>();
                if (!step(cur, mu, ds, dx)) {
                    mu *= 10;
                    continue;
                }
                double[] ts = shape.clone();
                for (int i = 0; i < nS; i++) {
                    ts[i] -= ds[i];
                }
                List<double[]> tx = new ArrayList<>();
                for (int f = 0; f < xs.size(); f++) {
                    double[] x = xs.get(f).clone();
                    for (int i = 0; i < nF; i++) {
                        x[i] -= dx.get(f)[i];
                    }
                    tx.add(x);
                }
                double tc = assemble(ts, tx, false).cost;
                if (tc < cur.cost && Double.isFinite(tc)) {
                    double gain = cur.cost - tc;
                    shape = ts;
                    xs.clear();
                    xs.addAll(tx);
                    cur = assemble(shape, xs, true);
                    mu = Math.max(mu / 3, 1e-12);
                    accepted = true;
                    if (gain < 1e-10 * (1 + tc)) {
                        return new Outcome(shape, xs, cur.cost, it);
                    }
                } else {
                    mu *= 4;
                }
            }
            if (!accepted) {
                break;
            }
        }
        return new Outcome(shape, xs, cur.cost, it);
    }

    private Blocks assemble(double[] shape, List<double[]> xs, boolean withJacobian) {
        Blocks b = new Blocks();
        int n = nS + nF;
        for (int f = 0; f < xs.size(); f++) {
            LevenbergMarquardt.Evaluation e = terms.evaluate(f, shape, xs.get(f));
            b.cost += e.cost();
            if (!withJacobian) {
                continue;
            }
            double[] aff = new double[nF * nF], afs = new double[nF * nS], gf = new double[nF];
            for (int r = 0; r < e.rows(); r++) {
                int o = r * n;
                double res = e.r()[r];
                double[] j = e.jac();
                for (int a = 0; a < nS; a++) {
                    double ja = j[o + a];
                    if (ja == 0) {
                        continue;
                    }
                    b.gs[a] += ja * res;
                    for (int c = 0; c < nS; c++) {
                        b.ass[a * nS + c] += ja * j[o + c];
                    }
                }
                for (int a = 0; a < nF; a++) {
                    double ja = j[o + nS + a];
                    if (ja == 0) {
                        continue;
                    }
                    gf[a] += ja * res;
                    for (int c = 0; c < nF; c++) {
                        aff[a * nF + c] += ja * j[o + nS + c];
                    }
                    for (int c = 0; c < nS; c++) {
                        afs[a * nS + c] += ja * j[o + c];
                    }
                }
            }
            b.aff.add(aff);
            b.afs.add(afs);
            b.gf.add(gf);
        }
        for (int f = 1; f < xs.size(); f++) { // smoothness between consecutive frames
            for (int i = 0; i < nF; i++) {
                double r = smooth[i] * (xs.get(f)[i] - xs.get(f - 1)[i]);
                b.cost += r * r;
                if (withJacobian) {
                    b.gf.get(f)[i] += smooth[i] * r;
                    b.gf.get(f - 1)[i] -= smooth[i] * r;
                    b.aff.get(f)[i * nF + i] += smooth[i] * smooth[i];
                    b.aff.get(f - 1)[i * nF + i] += smooth[i] * smooth[i];
                }
            }
        }
        for (int i = 0; i < nS; i++) {
            double r = shapePrior * shape[i];
            b.cost += r * r;
            if (withJacobian) {
                b.gs[i] += shapePrior * r;
                b.ass[i * nS + i] += shapePrior * shapePrior;
            }
        }
        return b;
    }

    /** The damped step by Schur complement on the frame blocks; false when a block is not positive definite. */
    private boolean step(Blocks b, double mu, double[] ds, List<double[]> dx) {
        double[] s = b.ass.clone();
        for (int i = 0; i < nS; i++) {
            s[i * nS + i] += mu * (b.ass[i * nS + i] + 1e-9);
        }
        double[] rhs = b.gs.clone();
        List<double[]> factors = new ArrayList<>();
        double[] col = new double[nF], sol = new double[nF];
        for (int f = 0; f < b.aff.size(); f++) {
            double[] a = b.aff.get(f).clone();
            for (int i = 0; i < nF; i++) {
                a[i * nF + i] += mu * (b.aff.get(f)[i * nF + i] + 1e-9);
            }
            if (!LevenbergMarquardt.factor(a, nF)) {
                return false;
            }
            factors.add(a);
            double[] afs = b.afs.get(f);
            double[] y = new double[nF * nS]; // A_ff⁻¹ A_fs, column by column
            for (int c = 0; c < nS; c++) {
                for (int i = 0; i < nF; i++) {
                    col[i] = afs[i * nS + c];
                }
                LevenbergMarquardt.solve(a, nF, col, sol);
                for (int i = 0; i < nF; i++) {
                    y[i * nS + c] = sol[i];
                }
            }
            double[] g = new double[nF];
            LevenbergMarquardt.solve(a, nF, b.gf.get(f), g);
            for (int r = 0; r < nS; r++) {
                for (int c = 0; c < nS; c++) {
                    double t = 0;
                    for (int i = 0; i < nF; i++) {
                        t += afs[i * nS + r] * y[i * nS + c];
                    }
                    s[r * nS + c] -= t;
                }
                double t = 0;
                for (int i = 0; i < nF; i++) {
                    t += afs[i * nS + r] * g[i];
                }
                rhs[r] -= t;
            }
        }
        if (nS > 0 && !LevenbergMarquardt.cholesky(s, nS, rhs, ds)) {
            return false;
        }
        for (int f = 0; f < b.aff.size(); f++) {
            double[] afs = b.afs.get(f), g = new double[nF];
            for (int i = 0; i < nF; i++) {
                double t = b.gf.get(f)[i];
                for (int c = 0; c < nS; c++) {
                    t -= afs[i * nS + c] * ds[c];
                }
                g[i] = t;
            }
            double[] d = new double[nF];
            LevenbergMarquardt.solve(factors.get(f), nF, g, d);
            dx.add(d);
        }
        return true;
    }
}
