package org.portraitgen.field.internal.raster;

/** Rotation matrices from quaternions (w, x, y, z) and the chain rule back through them. */
public final class Quaternions {
    private Quaternions() {
    }

    /** Row-major 3x3 rotation of the unit quaternion {@code q[o..o+3]} (already normalised) into {@code r}. */
    public static void toMatrix(double w, double x, double y, double z, double[] r) {
        r[0] = 1 - 2 * (y * y + z * z);
        r[1] = 2 * (x * y - w * z);
        r[2] = 2 * (x * z + w * y);
        r[3] = 2 * (x * y + w * z);
        r[4] = 1 - 2 * (x * x + z * z);
        r[5] = 2 * (y * z - w * x);
        r[6] = 2 * (x * z - w * y);
        r[7] = 2 * (y * z + w * x);
        r[8] = 1 - 2 * (x * x + y * y);
    }

    /** Gradient of a loss w.r.t. the unit quaternion, given its gradient {@code dr} w.r.t. the matrix entries. */
    public static void matrixBackward(double w, double x, double y, double z, double[] dr, double[] gq) {
        gq[0] = 2 * (-z * dr[1] + y * dr[2] + z * dr[3] - x * dr[5] - y * dr[6] + x * dr[7]);
        gq[1] = 2 * (y * dr[1] + z * dr[2] + y * dr[3] - 2 * x * dr[4] - w * dr[5] + z * dr[6] + w * dr[7]
                - 2 * x * dr[8]);
        gq[2] = 2 * (-2 * y * dr[0] + x * dr[1] + w * dr[2] + x * dr[3] + z * dr[5] - w * dr[6] + z * dr[7]
                - 2 * y * dr[8]);
        gq[3] = 2 * (-2 * z * dr[0] - w * dr[1] + x * dr[2] + w * dr[3] - 2 * z * dr[4] + y * dr[5] + x * dr[6]
                + y * dr[7]);
    }

    /** Unit quaternion (w, x, y, z) of a row-major rotation matrix (Shepperd's method, stable for any angle). */
    public static double[] fromMatrix(double[] m) {
        double tr = m[0] + m[4] + m[8];
        double w;
        double x;
        double y;
        double z;
        if (tr > 0) {
            double s = Math.sqrt(tr + 1) * 2;
            w = 0.25 * s;
            x = (m[7] - m[5]) / s;
            y = (m[2] - m[6]) / s;
            z = (m[3] - m[1]) / s;
        } else if (m[0] > m[4] && m[0] > m[8]) {
            double s = Math.sqrt(1 + m[0] - m[4] - m[8]) * 2;
            w = (m[7] - m[5]) / s;
            x = 0.25 * s;
            y = (m[1] + m[3]) / s;
            z = (m[2] + m[6]) / s;
        } else if (m[4] > m[8]) {
            double s = Math.sqrt(1 + m[4] - m[0] - m[8]) * 2;
            w = (m[2] - m[6]) / s;
            x = (m[1] + m[3]) / s;
            y = 0.25 * s;
            z = (m[5] + m[7]) / s;
        } else {
            double s = Math.sqrt(1 + m[8] - m[0] - m[4]) * 2;
            w = (m[3] - m[1]) / s;
            x = (m[2] + m[6]) / s;
            y = (m[5] + m[7]) / s;
            z = 0.25 * s;
        }
        return new double[] {w, x, y, z};
    }

    /** Hamilton product a ⊗ b, both (w, x, y, z), written into out[o..o+3]. */
    public static void multiply(double[] a, double bw, double bx, double by, double bz, double[] out, int o) {
        double aw = a[0];
        double ax = a[1];
        double ay = a[2];
        double az = a[3];
        out[o] = aw * bw - ax * bx - ay * by - az * bz;
        out[o + 1] = aw * bx + ax * bw + ay * bz - az * by;
        out[o + 2] = aw * by - ax * bz + ay * bw + az * bx;
        out[o + 3] = aw * bz + ax * by - ay * bx + az * bw;
    }

    /** Gradient w.r.t. b of a ⊗ b given the gradient g of the product: the transpose of a's left-product matrix. */
    public static void multiplyBackwardRight(double[] a, double[] g, int go, double[] out, int o) {
        double aw = a[0];
        double ax = a[1];
        double ay = a[2];
        double az = a[3];
        double gw = g[go];
        double gx = g[go + 1];
        double gy = g[go + 2];
        double gz = g[go + 3];
        out[o] += aw * gw + ax * gx + ay * gy + az * gz;
        out[o + 1] += -ax * gw + aw * gx + az * gy - ay * gz;
        out[o + 2] += -ay * gw - az * gx + aw * gy + ax * gz;
        out[o + 3] += -az * gw + ay * gx - ax * gy + aw * gz;
    }
}
