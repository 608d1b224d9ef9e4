package org.portraitgen.editors.builtin.internal;

/**
 * Second-order real spherical harmonics for Lambertian irradiance (Ramamoorthi and Hanrahan, "An Efficient
 * Representation for Irradiance Environment Maps", 2001): 9 coefficients describe any distant lighting of a matte
 * surface to within a few percent.
 */
final class SphericalHarmonics {

    static final int COEFFS = 9;

    /** The clamped cosine's band weights: pi, 2pi/3, pi/4 (Ramamoorthi and Hanrahan's A_l). */
    private static final double[] LAMBERT = {Math.PI, 2 * Math.PI / 3, 2 * Math.PI / 3, 2 * Math.PI / 3,
        Math.PI / 4, Math.PI / 4, Math.PI / 4, Math.PI / 4, Math.PI / 4};

    private SphericalHarmonics() {
    }

    /** The 9 basis values at unit normal (x, y, z) into {@code out}. */
    static void basis(double x, double y, double z, double[] out) {
        out[0] = 0.282095;
        out[1] = 0.488603 * y;
        out[2] = 0.488603 * z;
        out[3] = 0.488603 * x;
        out[4] = 1.092548 * x * y;
        out[5] = 1.092548 * y * z;
        out[6] = 0.315392 * (3 * z * z - 1);
        out[7] = 1.092548 * x * z;
        out[8] = 0.546274 * (x * x - y * y);
    }

    /**
     * Coefficients whose {@link #eval} approximates {@code max(0, n.d)}: a distant light of unit intensity from unit
     * direction d on a white matte surface (about 1.06 where n = d).
     */
    static double[] directional(double dx, double dy, double dz) {
        double[] y = new double[COEFFS];
        basis(dx, dy, dz, y);
        double[] e = new double[COEFFS];
        for (int i = 0; i < COEFFS; i++) {
            e[i] = LAMBERT[i] * y[i];
        }
        return e;
    }

    static double eval(double[] coeffs, double[] basis) {
        double s = 0;
        for (int i = 0; i < COEFFS; i++) {
            s += coeffs[i] * basis[i];
        }
        return s;
    }

    /**
     * Least-squares coefficients with {@code value ~ sum c_i Y_i(n)} over samples, by the normal equations with a
     * small ridge so that a narrow range of normals (a flat region) still gives a stable answer.
     *
     * @param basisRows [n][9] basis values per sample
     */
    static double[] fit(double[][] basisRows, double[] values, int n) {
        double[][] a = new double[COEFFS][COEFFS + 1];
        for (int s = 0; s < n; s++) {
            double[] b = basisRows[s];
            for (int i = 0; i < COEFFS; i++) {
                for (int j = 0; j < COEFFS; j++) {
                    a[i][j] += b[i] * b[j];
                }
                a[i][COEFFS] += b[i] * values[s];
            }
        }
        for (int i = 0; i < COEFFS; i++) {
            a[i][i] += 1e-3 * Math.max(1, n);
        }
        return solve(a);
    }

    /** Gauss-Jordan elimination with partial pivoting on an augmented 9x10 system. */
    private static double[] solve(double[][] a) {
        int n = COEFFS;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            double p = a[col][col];
            for (int c = col; c <= n; c++) {
                a[col][c] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && a[r][col] != 0) {
                    double f = a[r][col];
                    for (int c = col; c <= n; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[i][n];
        }
        return x;
    }
}
