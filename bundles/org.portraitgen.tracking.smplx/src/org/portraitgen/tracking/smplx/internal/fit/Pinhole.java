package org.portraitgen.tracking.smplx.internal.fit;

/**
 * The pinhole projection u = f_x x / z + c_x, v = f_y y / z + c_y (OpenCV axes), with its Jacobian with respect to
 * the point and to a shared focal scale s (f_x = s F_x, f_y = s F_y, derivative at the current s).
 */
public record Pinhole(double fx, double fy, double cx, double cy) {

    /**
     * Projects {@code p} into {@code uv}; if {@code dPoint} is not null writes the [2, 3] Jacobian w.r.t. the point,
     * and if {@code dFocal} is not null the [2] derivative w.r.t. a relative focal change.
     */
    public void project(double[] p, double[] uv, double[] dPoint, double[] dFocal) {
        double iz = 1 / p[2];
        double x = p[0] * iz, y = p[1] * iz;
        uv[0] = fx * x + cx;
        uv[1] = fy * y + cy;
        if (dPoint != null) {
            dPoint[0] = fx * iz;
            dPoint[1] = 0;
            dPoint[2] = -fx * x * iz;
            dPoint[3] = 0;
            dPoint[4] = fy * iz;
            dPoint[5] = -fy * y * iz;
        }
        if (dFocal != null) {
            dFocal[0] = fx * x;
            dFocal[1] = fy * y;
        }
    }
}
