package org.portraitgen.workbench.internal.viewport;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;

/**
 * The artist's view of a field: yaw and pitch about the head's centre, and a zoom of the focal length, applied to a
 * tracked frame's camera. Yaw 0, pitch 0, zoom 1 is the tracked camera itself.
 */
public record Orbit(double yawDegrees, double pitchDegrees, double zoom) {
    public static final Orbit TRACKED = new Orbit(0, 0, 1);

    public Orbit {
        if (!(zoom > 0)) {
            throw new IllegalArgumentException("zoom must be positive, was " + zoom);
        }
        pitchDegrees = Math.max(-85, Math.min(85, pitchDegrees)); // past the pole the view would flip
    }

    public Orbit turned(double dYaw, double dPitch) {
        return new Orbit(yawDegrees + dYaw, pitchDegrees + dPitch, zoom);
    }

    public Orbit zoomed(double factor) {
        return new Orbit(yawDegrees, pitchDegrees, Math.max(0.2, Math.min(8, zoom * factor)));
    }

    /**
     * The state seen from this orbit at {@code width x height}. Rig vertices are in camera space and the field
     * renders them as they are, so the orbit turns the head rather than the camera: each vertex p becomes
     * Ro (p - c) + c about the vertices' centroid c, which is the same picture as the camera orbiting the other way.
     * The intrinsics scale to the new size, and the focal length by the zoom.
     */
    public RigState apply(RigState state, int width, int height) {
        float[] v = state.vertices();
        int n = v.length / 3;
        double[] c = new double[3];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                c[k] += v[3 * i + k] / (double) n;
            }
        }
        double[] ro = rotation();
        float[] turned = new float[v.length];
        for (int i = 0; i < n; i++) {
            for (int row = 0; row < 3; row++) {
                double s = c[row];
                for (int k = 0; k < 3; k++) {
                    s += ro[3 * row + k] * (v[3 * i + k] - c[k]);
                }
                turned[3 * i + row] = (float) s;
            }
        }
        Camera cam = state.camera();
        double sx = (double) width / cam.width();
        double sy = (double) height / cam.height();
        Camera seen = new Camera(width, height, cam.fx() * sx * zoom, cam.fy() * sy * zoom,
                (cam.cx() + 0.5) * sx - 0.5, (cam.cy() + 0.5) * sy - 0.5, cam.rotation(), cam.translation());
        return new RigState(state.frame(), seen, turned, state.expression(), state.tracked());
    }

    /** Row-major Ry(yaw) Rx(pitch) in camera space (x right, y down, z forward). */
    double[] rotation() {
        double a = Math.toRadians(yawDegrees);
        double b = Math.toRadians(pitchDegrees);
        double ca = Math.cos(a);
        double sa = Math.sin(a);
        double cb = Math.cos(b);
        double sb = Math.sin(b);
        return new double[] {ca, sa * sb, sa * cb, 0, cb, -sb, -sa, ca * sb, ca * cb};
    }
}
