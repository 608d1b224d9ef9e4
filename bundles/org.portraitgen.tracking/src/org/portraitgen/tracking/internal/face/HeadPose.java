package org.portraitgen.tracking.internal.face;

/**
 * A rigid head transform from canonical-mesh space (cm, OpenCV axes) into camera space: {@code p_cam = R p + t}.
 *
 * @param rvec Rodrigues rotation vector (small for a face looking at the camera, so it can be filtered per component)
 * @param t    translation in cm
 */
public record HeadPose(double[] rvec, double[] t) {

    public double[] rotationMatrix() {
        double th = Math.sqrt(rvec[0] * rvec[0] + rvec[1] * rvec[1] + rvec[2] * rvec[2]);
        if (th < 1e-12) {
            return new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
        }
        double x = rvec[0] / th, y = rvec[1] / th, z = rvec[2] / th, c = Math.cos(th), s = Math.sin(th), k = 1 - c;
        return new double[] { c + x * x * k, x * y * k - z * s, x * z * k + y * s, y * x * k + z * s, c + y * y * k,
                y * z * k - x * s, z * x * k - y * s, z * y * k + x * s, c + z * z * k };
    }

    /** Applies the transform to vertex {@code i} of {@code xyz}. */
    public double[] apply(double[] r, float[] xyz, int i) {
        double x = xyz[3 * i], y = xyz[3 * i + 1], z = xyz[3 * i + 2];
        return new double[] { r[0] * x + r[1] * y + r[2] * z + t[0], r[3] * x + r[4] * y + r[5] * z + t[1],
                r[6] * x + r[7] * y + r[8] * z + t[2] };
    }
}
