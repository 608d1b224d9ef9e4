package org.portraitgen.tracking.internal.face;

/**
 * A rotated square region of the frame that the landmark model sees: centre and side in pixels, rotation in radians
 * (the crop's x axis points along {@code angle} in the image, so an upright face in the crop follows a rolled head).
 */
public record FaceRoi(double cx, double cy, double side, double angle) {

    /** MediaPipe's detection-to-ROI rule: the box grown 1.5x, square, rotated by the eye line. */
    public static FaceRoi fromDetection(Detection d) {
        return new FaceRoi(d.centerX(), d.centerY(), 1.5 * Math.max(d.width(), d.height()), d.roll());
    }

    /**
     * The ROI for the next frame from this frame's 468 landmarks (x,y,z triples in image pixels): their bounding box
     * in the eye-aligned frame, grown 1.5x, rotated by the line through the outer eye corners (33 and 263).
     */
    public static FaceRoi fromLandmarks(float[] lm) {
        double angle = Math.atan2(lm[3 * 263 + 1] - lm[3 * 33 + 1], lm[3 * 263] - lm[3 * 33]);
        double c = Math.cos(angle), s = Math.sin(angle);
        double minU = Double.MAX_VALUE, maxU = -Double.MAX_VALUE, minV = Double.MAX_VALUE, maxV = -Double.MAX_VALUE;
        for (int i = 0; i < lm.length / 3; i++) {
            double u = c * lm[3 * i] + s * lm[3 * i + 1], v = -s * lm[3 * i] + c * lm[3 * i + 1];
            minU = Math.min(minU, u);
            maxU = Math.max(maxU, u);
            minV = Math.min(minV, v);
            maxV = Math.max(maxV, v);
        }
        double mu = (minU + maxU) / 2, mv = (minV + maxV) / 2;
        return new FaceRoi(c * mu - s * mv, s * mu + c * mv, 1.5 * Math.max(maxU - minU, maxV - minV), angle);
    }

    /** The 2x3 affine map from crop pixels ({@code size}² crop) to image pixels, row-major. */
    public double[] cropToImage(int size) {
        double k = side / size, c = Math.cos(angle) * k, s = Math.sin(angle) * k;
        double h = size / 2.0;
        return new double[] { c, -s, cx - c * h + s * h, s, c, cy - s * h - c * h };
    }
}
