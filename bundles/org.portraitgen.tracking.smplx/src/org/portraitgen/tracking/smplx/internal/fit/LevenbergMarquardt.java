package org.portraitgen.tracking.smplx.internal.fit;

/**
 * Levenberg–Marquardt on a residual function with an analytic Jacobian: solves (JᵀJ + μ diag(JᵀJ)) δ = −Jᵀr by
 * Cholesky, accepts steps that lower the cost and adapts μ.
 */
final class LevenbergMarquardt {

    /** Residuals r [m] and Jacobian J [m, n] (row-major) at a point. */
    interface Problem {
        int variables();

        /** Returns the residual count m and fills r and jac, sized for at least m rows. */
        Evaluation evaluate(double[] x);
    }

    record Evaluation(double[] r, double[] jac, int rows) {
        double cost() {
            double c = 0;
            for (int i = 0; i < rows; i++) {
                c += r[i] * r[i];
            }
            return c;
        }
    }

    record Outcome(double[] x, double cost, int iterations) {
    }

    private LevenbergMarquardt() {
    }

    static Outcome minimise(Problem p, double[] start, int maxIterations) {
        int n = p.variables();
        double[] x = start.clone();
        Evaluation e = p.evaluate(x);
        double cost = e.cost();
        double mu = 1e-3;
        int it = 0;
        double[] a = new double[n * n], g = new double[n], step = new double[n];
        while (it < maxIterations) {
            it++;
            normalEquations(e, n, a, g);
            boolean solved = false;
            double[] trial = null;
            Evaluation te = null;
            double tc = Double.POSITIVE_INFINITY;
            for (int attempt = 0; attempt < 8 && !solved; attempt++) {
                double[] damped = a.clone();
                for (int i = 0; i < n; i++) {
                    damped[i * n + i] += mu * (a[i * n + i] + 1e-9);
                }
                if (!cholesky(damped, n, g, step)) {
                    mu *= 10;
                    continue;
                }
                trial = x.clone();
                for (int i = 0; i < n; i++) {
                    trial[i] -= step[i];
                }
                te = p.evaluate(trial);
                tc = te.cost();
                if (tc < cost && Double.isFinite(tc)) {
                    solved = true;
                } else {
                    mu *= 4;
                }
            }
            if (!solved) {
                break;
            }
            double gain = cost - tc;
            x = trial;
            e = te;
            cost = tc;
            mu = Math.max(mu / 3, 1e-12);
            if (gain < 1e-10 * (1 + cost)) {
                break;
            }
        }
        return new Outcome(x, cost, it);
    }

    private static void normalEquations(Evaluation e, int n, double[] a, double[] g) {
        java.util.Arrays.fill(a, 0);
        java.util.Arrays.fill(g, 0);
        for (int r = 0; r < e.rows(); r++) {
            int o = r * n;
            double ri = e.r()[r];
            for (int i = 0; i < n; i++) {
                double ji = e.jac()[o + i];
                if (ji == 0) {
                    continue;
                }
                g[i] += ji * ri;
                for (int j = i; j < n; j++) {
                    a[i * n + j] += ji * e.jac()[o + j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[i * n + j] = a[j * n + i];
            }
        }
    }

    /** Solves a x = b for symmetric positive definite a (overwritten); false when a is not. */
    static boolean cholesky(double[] a, int n, double[] b, double[] x) {
        if (!factor(a, n)) {
            return false;
        }
        solve(a, n, b, x);
        return true;
    }

    /** Cholesky factor L (lower triangle of a, in place); false when a is not positive definite. */
    static boolean factor(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= a[j * n + k] * a[j * n + k];
            }
            if (!(d > 0)) {
                return false;
            }
            d = Math.sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = s / d;
            }
        }
        return true;
    }

    /** Solves L Lᵀ x = b with a factor from {@link #factor}. */
    static void solve(double[] l, int n, double[] b, double[] x) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
    }
}
