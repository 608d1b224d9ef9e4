package org.portraitgen.tracking.smplx.internal.body;

/**
 * Axis-angle to rotation, R = I + a K + b K² with K = [r]×, a = sin θ / θ, b = (1 − cos θ) / θ², and its analytic
 * derivative with respect to each component of r (Taylor series below θ = 1e-3, where the closed forms cancel).
 */
public final class Rodrigues {

    private Rodrigues() {
    }

    /**
     * @param r  axis-angle at {@code ro}
     * @param R  out: row-major 3x3 at {@code Ro}
     * @param dR out, or null: dR/dr_m for m = 0..2, row-major 3x3 each, at {@code dRo}
     */
    public static void rotation(double[] r, int ro, double[] R, int Ro, double[] dR, int dRo) {
        double x = r[ro], y = r[ro + 1], z = r[ro + 2];
        double t2 = x * x + y * y + z * z, t = Math.sqrt(t2);
        double a, b, da, db; // da = (da/dθ)/θ, db = (db/dθ)/θ
        if (t < 1e-3) {
            a = 1 - t2 / 6 + t2 * t2 / 120;
            b = 0.5 - t2 / 24 + t2 * t2 / 720;
            da = -1.0 / 3 + t2 / 30;
            db = -1.0 / 12 + t2 / 180;
        } else {
            double s = Math.sin(t), c = Math.cos(t);
            a = s / t;
            b = (1 - c) / t2;
            da = (t * c - s) / (t2 * t);
            db = (t * s - 2 * (1 - c)) / (t2 * t2);
        }
        double[] k = { 0, -z, y, z, 0, -x, -y, x, 0 };
        double[] k2 = new double[9];
        mul(k, k, k2);
        for (int i = 0; i < 9; i++) {
            R[Ro + i] = (i % 4 == 0 ? 1 : 0) + a * k[i] + b * k2[i];
        }
        if (dR == null) {
            return;
        }
        double[] rv = { x, y, z };
        double[] e = new double[9], ek = new double[9], ke = new double[9];
        for (int m = 0; m < 3; m++) {
            java.util.Arrays.fill(e, 0);
            // E_m = [e_m]×
            if (m == 0) {
                e[5] = -1;
                e[7] = 1;
            } else if (m == 1) {
                e[2] = 1;
                e[6] = -1;
            } else {
                e[1] = -1;
                e[3] = 1;
            }
            mul(e, k, ek);
            mul(k, e, ke);
            for (int i = 0; i < 9; i++) {
                dR[dRo + 9 * m + i] = da * rv[m] * k[i] + a * e[i] + db * rv[m] * k2[i] + b * (ek[i] + ke[i]);
            }
        }
    }

    /** c = a b for row-major 3x3 (c must not alias a or b). */
    static void mul(double[] a, double[] b, double[] c) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
    }
}
