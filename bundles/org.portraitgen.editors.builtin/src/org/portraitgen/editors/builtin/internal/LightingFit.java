package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/** Estimates a picture's lighting as spherical-harmonic coefficients per channel from its colours and normals. */
final class LightingFit {

    /** Enough samples for 9 unknowns many times over, few enough to keep a 4K frame fast. */
    private static final int MAX_SAMPLES = 20_000;

    private LightingFit() {
    }

    /**
     * @param plane   which plane of {@code values} to fit
     * @param weights 1-channel weights (mask) or null
     * @return 9 coefficients with {@code value ~ sum c_i Y_i(n)}
     */
    static double[] fit(FloatImage values, int plane, FloatImage normals, FloatImage weights) {
        int n = normals.planeSize();
        int stride = Math.max(1, n / MAX_SAMPLES);
        double[][] rows = new double[n / stride + 1][];
        double[] v = new double[rows.length];
        int count = 0;
        float[] nd = normals.data();
        for (int i = 0; i < n && count < rows.length; i += stride) {
            if (weights != null && weights.data()[i] < 0.5f) {
                continue;
            }
            double[] b = new double[SphericalHarmonics.COEFFS];
            SphericalHarmonics.basis(nd[i], nd[n + i], nd[2 * n + i], b);
            rows[count] = b;
            v[count] = values.data()[plane * n + i];
            count++;
        }
        if (count < SphericalHarmonics.COEFFS && weights != null) {
            return fit(values, plane, normals, null);
        }
        return SphericalHarmonics.fit(rows, v, count);
    }
}
