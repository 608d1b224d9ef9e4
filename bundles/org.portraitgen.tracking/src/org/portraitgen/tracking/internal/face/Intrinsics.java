package org.portraitgen.tracking.internal.face;

/**
 * A pinhole camera without distortion. Without calibration the focal length comes from an assumed horizontal field of
 * view (phone front cameras and portrait lenses are 50–70°); the principal point is the frame centre.
 */
public record Intrinsics(int width, int height, double fx, double fy, double cx, double cy) {

    public static final double DEFAULT_FOV_DEGREES = 60;

    public static Intrinsics fromFrameSize(int width, int height, double horizontalFovDegrees) {
        double f = width / (2 * Math.tan(Math.toRadians(horizontalFovDegrees) / 2));
        return new Intrinsics(width, height, f, f, width / 2.0, height / 2.0);
    }

    public static Intrinsics withFocal(int width, int height, double focalPx) {
        return new Intrinsics(width, height, focalPx, focalPx, width / 2.0, height / 2.0);
    }

    public double[] project(double x, double y, double z) {
        return new double[] { fx * x / z + cx, fy * y / z + cy };
    }

    /** The camera-space point at depth {@code z} that projects to pixel (u, v). */
    public double[] unproject(double u, double v, double z) {
        return new double[] { (u - cx) / fx * z, (v - cy) / fy * z, z };
    }
}
