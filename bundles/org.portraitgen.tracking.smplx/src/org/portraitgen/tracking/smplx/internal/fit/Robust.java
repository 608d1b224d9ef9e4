package org.portraitgen.tracking.smplx.internal.fit;

/**
 * Huber's loss as a residual map, so Levenberg–Marquardt minimises Σ ρ(|e|²) exactly: a residual e (already divided
 * by its σ) becomes r̃ = e √(ρ(|e|²)) / |e| with ρ(s) = s for s ≤ k², 2k√s − k² beyond, and its Jacobian dr̃/de is
 * exact (Triggs et al., "Bundle Adjustment — A Modern Synthesis", 2000, §6.7: robustified residuals), so the cost LM
 * compares between steps is the robust cost itself.
 */
final class Robust {

    private Robust() {
    }

    /**
     * Robustifies the 2-vector {@code e} in place and writes the row-major 2×2 Jacobian dr̃/de into {@code d}.
     *
     * @param k the Huber threshold in σ units
     */
    static void huber2(double[] e, double k, double[] d) {
        double s = e[0] * e[0] + e[1] * e[1];
        if (s <= k * k) {
            d[0] = d[3] = 1;
            d[1] = d[2] = 0;
            return;
        }
        double n = Math.sqrt(s);
        double rho = 2 * k * n - k * k;
        double g = Math.sqrt(rho / s);
        // dg/ds = (ρ'(s) s − ρ(s)) / (2 s² g), ρ'(s) = k / √s
        double dg = (k * n - rho) / (2 * s * s * g);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                d[2 * a + b] = (a == b ? g : 0) + 2 * dg * e[a] * e[b];
            }
        }
        e[0] *= g;
        e[1] *= g;
    }

    /** Scalar version: returns r̃ (same sign as d) and writes dr̃/dd into {@code slope[0]}. */
    static double huber1(double d, double k, double[] slope) {
        double a = Math.abs(d);
        if (a <= k) {
            slope[0] = 1;
            return d;
        }
        double r = Math.sqrt(2 * k * a - k * k);
        slope[0] = k / r;
        return Math.copySign(r, d);
    }
}
