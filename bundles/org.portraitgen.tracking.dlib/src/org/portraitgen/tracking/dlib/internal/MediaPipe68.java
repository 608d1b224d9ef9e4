package org.portraitgen.tracking.dlib.internal;

/**
 * The 68 points of the iBUG 300-W / dlib scheme taken from MediaPipe's 468 face mesh landmarks, so that the primary
 * tracker and dlib can be compared point by point and the tracker's face gives dlib its box.
 * <p>
 * The correspondence is Peizhi Yan's published table (github.com/PeizhiYan/Mediapipe_2_Dlib_Landmarks,
 * {@code mediapipe2dlib/mp2dlib.py}, Sep. 2024): one MediaPipe vertex per dlib point, or the mean of two where none
 * sits on the dlib point (jaw 4, 5, 13; nose bridge 28, 29).
 */
public final class MediaPipe68 {

    public static final int POINTS = 68;
    public static final int MEDIAPIPE_POINTS = 468;

    /** The detector-like box: side relative to the points' extent, centre shift relative to their height. */
    static final double BOX_SCALE = 1.12, BOX_SHIFT_Y = -0.05;

    /** Per dlib point (0-based): one or two MediaPipe indices, averaged. */
    private static final int[][] CORRESPONDENCE = {
            // jaw 0-16
            { 127 }, { 234 }, { 93 }, { 132, 58 }, { 58, 172 }, { 136 }, { 150 }, { 176 }, { 152 }, { 400 }, { 379 },
            { 365 }, { 397, 288 }, { 361 }, { 323 }, { 454 }, { 356 },
            // brows 17-26 (the subject's right, then left)
            { 70 }, { 63 }, { 105 }, { 66 }, { 107 }, { 336 }, { 296 }, { 334 }, { 293 }, { 300 },
            // nose 27-35
            { 168, 6 }, { 197, 195 }, { 5 }, { 4 }, { 75 }, { 97 }, { 2 }, { 326 }, { 305 },
            // eyes 36-47
            { 33 }, { 160 }, { 158 }, { 133 }, { 153 }, { 144 }, { 362 }, { 385 }, { 387 }, { 263 }, { 373 }, { 380 },
            // outer lips 48-59
            { 61 }, { 39 }, { 37 }, { 0 }, { 267 }, { 269 }, { 291 }, { 321 }, { 314 }, { 17 }, { 84 }, { 91 },
            // inner lips 60-67
            { 78 }, { 82 }, { 13 }, { 312 }, { 308 }, { 317 }, { 14 }, { 87 } };

    private MediaPipe68() {
    }

    /**
     * The 68 points (x,y interleaved) from MediaPipe landmarks given as x,y,z per point ({@code 3 * 468} floats, or
     * more: the iris points after 468 are not used); null when the frame has no face (NaN).
     */
    public static double[] fromMediaPipe(float[] xyz) {
        if (xyz.length < 3 * MEDIAPIPE_POINTS) {
            throw new IllegalArgumentException("MediaPipe landmarks: " + xyz.length / 3 + " points, expected "
                    + MEDIAPIPE_POINTS);
        }
        double[] out = new double[2 * POINTS];
        for (int i = 0; i < POINTS; i++) {
            int[] from = CORRESPONDENCE[i];
            for (int k : from) {
                out[2 * i] += xyz[3 * k] / (double) from.length;
                out[2 * i + 1] += xyz[3 * k + 1] / (double) from.length;
            }
            if (Double.isNaN(out[2 * i]) || Double.isNaN(out[2 * i + 1])) {
                return null;
            }
        }
        return out;
    }

    /**
     * The box dlib's HOG face detector would give for a face with these 68 points (x,y interleaved), so that the
     * predictor starts from the kind of box it was trained on: a square about 1.12 times the points' extent, its
     * centre a twentieth of that extent above theirs (measured against dlib's {@code get_frontal_face_detector} on d0,
     * where the tracker's 68 points span 112 px and dlib's box is 125 px, 5.5 px higher; the cross-check test keeps
     * the two boxes' overlap in check).
     */
    public static ShapePredictor.Box detectorBox(double[] points68) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < POINTS; i++) {
            minX = Math.min(minX, points68[2 * i]);
            maxX = Math.max(maxX, points68[2 * i]);
            minY = Math.min(minY, points68[2 * i + 1]);
            maxY = Math.max(maxY, points68[2 * i + 1]);
        }
        double cx = (minX + maxX) / 2, cy = (minY + maxY) / 2 + BOX_SHIFT_Y * (maxY - minY);
        double side = BOX_SCALE * Math.max(maxX - minX, maxY - minY);
        long left = Math.round(cx - side / 2), top = Math.round(cy - side / 2);
        long size = Math.max(1, Math.round(side));
        return new ShapePredictor.Box(left, top, left + size - 1, top + size - 1);
    }
}
