package org.portraitgen.api.tracking;

/**
 * A pinhole camera: intrinsics in pixels and the world-to-camera transform (row-major 3x3 rotation, translation).
 * Camera space is OpenCV's: x right, y down, z forward.
 */
public record Camera(int width, int height, double fx, double fy, double cx, double cy, double[] rotation,
        double[] translation) {

    public Camera {
        if (rotation.length != 9 || translation.length != 3) {
            throw new IllegalArgumentException("camera rotation must be 3x3 and translation 3 long");
        }
        rotation = rotation.clone();
        translation = translation.clone();
    }
}
