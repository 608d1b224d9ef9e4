package org.portraitgen.field.tests;

import java.util.function.DoubleSupplier;

/** Central finite differences in double precision, and the relative error of an analytic gradient against them. */
final class GradCheck {
    private GradCheck() {
    }

    /** dL/dx[i] by central differences for every i, perturbing {@code x} in place (and restoring it). */
    static double[] numeric(double[] x, double eps, DoubleSupplier loss) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + eps;
            double up = loss.getAsDouble();
            x[i] = keep - eps;
            double down = loss.getAsDouble();
            x[i] = keep;
            g[i] = (up - down) / (2 * eps);
        }
        return g;
    }

    static double[] numeric(float[] x, float eps, DoubleSupplier loss) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = keep + eps;
            double up = loss.getAsDouble();
            x[i] = keep - eps;
            double down = loss.getAsDouble();
            x[i] = keep;
            g[i] = (up - down) / (2.0 * eps);
        }
        return g;
    }

    /** ||a - n|| / max(||n||, floor): relative L2 error of the analytic gradient a against the numeric n. */
    static double relativeError(double[] analytic, double[] numeric) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < numeric.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            norm += numeric[i] * numeric[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    }

    static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
