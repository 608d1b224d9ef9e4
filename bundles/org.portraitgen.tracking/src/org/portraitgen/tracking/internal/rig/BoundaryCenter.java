package org.portraitgen.tracking.internal.rig;

/** The mean of the face boundary's landmarks: the origin of the shell's rays. */
public final class BoundaryCenter {

    private BoundaryCenter() {
    }

    public static double[] of(float[] landmarks, int[] boundary) {
        double x = 0, y = 0;
        for (int b : boundary) {
            x += landmarks[3 * b];
            y += landmarks[3 * b + 1];
        }
        return new double[] { x / boundary.length, y / boundary.length };
    }

    /** x,y per boundary vertex. */
    public static double[] points(float[] landmarks, int[] boundary) {
        double[] out = new double[2 * boundary.length];
        for (int i = 0; i < boundary.length; i++) {
            out[2 * i] = landmarks[3 * boundary[i]];
            out[2 * i + 1] = landmarks[3 * boundary[i] + 1];
        }
        return out;
    }
}
