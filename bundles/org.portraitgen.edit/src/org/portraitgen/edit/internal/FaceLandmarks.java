package org.portraitgen.edit.internal;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;

/**
 * Face points of a rig state in image pixels. The default tracker's rig starts with MediaPipe's 468 face-mesh points
 * (tracking file {@code faceVertexCount}); the rest is the hair/neck/shoulder shell, which is no part of the face.
 */
public final class FaceLandmarks {
    /** MediaPipe face mesh points at the start of the rig's vertices. */
    public static final int FACE_POINTS = 468;

    private FaceLandmarks() {
    }

    /** x,y per face point, projected with the state's camera (vertices are in camera space). */
    public static double[] of(RigState state) {
        float[] v = state.vertices();
        if (v.length < 3 * FACE_POINTS) {
            throw new IllegalArgumentException("the rig has " + v.length / 3 + " vertices; face-aware editing and"
                    + " expression guidance need the " + FACE_POINTS + " face-mesh points first");
        }
        Camera c = state.camera();
        double[] p = new double[2 * FACE_POINTS];
        for (int i = 0; i < FACE_POINTS; i++) {
            double z = Math.max(1e-6, v[3 * i + 2]);
            p[2 * i] = c.fx() * v[3 * i] / z + c.cx();
            p[2 * i + 1] = c.fy() * v[3 * i + 1] / z + c.cy();
        }
        return p;
    }

    /** Mean point-to-point distance, pixels. */
    public static double meanDistance(double[] a, double[] b) {
        double sum = 0;
        int n = a.length / 2;
        for (int i = 0; i < n; i++) {
            sum += Math.hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]);
        }
        return sum / n;
    }

    /**
     * Expression error: mean distance, pixels, after the best similarity (translation, rotation, scale) maps
     * {@code a} onto {@code b} (Umeyama in 2D), so head pose and size drop out and what remains is the face's shape.
     */
    public static double expressionError(double[] a, double[] b) {
        int n = a.length / 2;
        double ax = 0, ay = 0, bx = 0, by = 0;
        for (int i = 0; i < n; i++) {
            ax += a[2 * i];
            ay += a[2 * i + 1];
            bx += b[2 * i];
            by += b[2 * i + 1];
        }
        ax /= n;
        ay /= n;
        bx /= n;
        by /= n;
        // as complex numbers: (s e^{i theta}) = sum conj(a) b / sum |a|^2
        double re = 0, im = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double px = a[2 * i] - ax, py = a[2 * i + 1] - ay, qx = b[2 * i] - bx, qy = b[2 * i + 1] - by;
            re += px * qx + py * qy;
            im += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm == 0) {
            return meanDistance(a, b);
        }
        re /= norm;
        im /= norm;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double px = a[2 * i] - ax, py = a[2 * i + 1] - ay;
            double mx = re * px - im * py + bx, my = im * px + re * py + by;
            sum += Math.hypot(mx - b[2 * i], my - b[2 * i + 1]);
        }
        return sum / n;
    }
}
