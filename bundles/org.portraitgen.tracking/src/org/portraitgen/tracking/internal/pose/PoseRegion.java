package org.portraitgen.tracking.internal.pose;

/**
 * An upright square region of a frame for the pose landmark model, in image pixels (pixel centres at integers).
 * MediaPipe's pose detector gives a square centred on the mid-hip point whose half side is 1.25 times the distance
 * from there to the top of the head ({@code pose_detection_to_roi.pbtxt}: alignment points 0 and 1, scale 1.25), and
 * the landmark model expects that framing even when the hips are out of the frame (it reads a head-and-shoulders
 * portrait cropped to the person's box as a whole small body). Without that detector the square comes from the face
 * and adult proportions, or, for a person wholly inside the frame, from the mask's box.
 */
public record PoseRegion(double centerX, double centerY, double side) {

    /** Margin around the person's box, as MediaPipe's ROI scale. */
    static final double MARGIN = 1.25;

    /**
     * The square around the mask's pixels above {@code threshold}, enlarged by {@link #MARGIN}; null when the mask
     * is empty.
     */
    public static PoseRegion fromMask(float[] mask, int width, int height, double threshold) {
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (mask[y * width + x] > threshold) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 < 0) {
            return null;
        }
        double side = MARGIN * Math.max(x1 - x0 + 1, y1 - y0 + 1);
        return new PoseRegion((x0 + x1) / 2.0, (y0 + y1) / 2.0, side);
    }

    /**
     * MediaPipe's framing estimated from the face's landmark box (image pixels): an adult's mid-hip lies about
     * {@value #HIPS_BELOW_FACE_TOP} face heights below the top of the face (a head is about 1/7.5 of the body height
     * and the hips are near half of it; the face box spans forehead to chin), and the square's half side is 1.25 times
     * the hip-to-head-top distance.
     */
    public static PoseRegion fromFace(double left, double top, double right, double bottom) {
        double h = bottom - top;
        double hipToHeadTop = (HIPS_BELOW_FACE_TOP + 0.25) * h;
        return new PoseRegion((left + right) / 2, top + HIPS_BELOW_FACE_TOP * h, 2 * MARGIN * hipToHeadTop);
    }

    static final double HIPS_BELOW_FACE_TOP = 3.4;

    /** Whether the mask's person reaches the frame's bottom row (then its box is no body box). */
    public static boolean cutAtBottom(float[] mask, int width, int height, double threshold) {
        for (int x = 0; x < width; x++) {
            if (mask[(height - 1) * width + x] > threshold) {
                return true;
            }
        }
        return false;
    }
}
