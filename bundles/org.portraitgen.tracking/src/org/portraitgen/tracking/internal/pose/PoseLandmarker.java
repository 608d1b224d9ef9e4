package org.portraitgen.tracking.internal.pose;

import org.bytedeco.opencv.opencv_core.Mat;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.tracking.internal.models.Mats;
import org.portraitgen.tracking.internal.models.MissingModelException;
import org.portraitgen.tracking.internal.models.ModelFiles;
import org.portraitgen.tracking.internal.models.TfliteNet;

/**
 * MediaPipe Pose's landmark model ({@code pose_landmark_full.tflite}) on an upright square region of the frame. It
 * follows MediaPipe's {@code pose_landmark_by_roi_cpu.pbtxt} and {@code pose_landmark_by_roi_post_processing.pbtxt}:
 * input [1,3,256,256] RGB in [0, 1]; output {@code Identity} holds 39 points x (x, y, z, visibility, presence) with
 * x, y in crop pixels and visibility/presence as logits (SIGMOID activation); {@code Identity_1} is the pose presence
 * score, thresholded at 0.5. The first 33 points are the body landmarks, the rest are auxiliary. The heatmap
 * refinement MediaPipe applies afterwards ({@code RefineLandmarksFromHeatmapCalculator}) is not done here. MediaPipe's
 * own region comes from {@code pose_detection.tflite}, which OpenCV DNN 4.13 does not load (DENSIFY), so callers give
 * the region (e.g. from the person mask, see {@link PoseRegion}).
 */
public final class PoseLandmarker implements AutoCloseable {

    public static final int POINTS = 33, VALUES = 5;
    private static final int INPUT = 256, MODEL_POINTS = 39;
    private final TfliteNet net;

    /**
     * @param points   33 x (x, y in image pixels, pixel centres at integers; z in the same scale, relative to the
     *                 hips; visibility and presence in [0, 1])
     * @param presence the model's pose presence score
     */
    public record Result(float[] points, double presence) {
        public boolean present() {
            return presence >= 0.5;
        }
    }

    public PoseLandmarker(ModelFiles models) throws MissingModelException {
        net = new TfliteNet(models.require(ModelFiles.POSE_LANDMARK));
    }

    /**
     * The model from the configured model folder; a {@link MissingModelException} names the file, its npm package
     * and {@code releng/fetch-models.sh} when it is not there.
     */
    public static PoseLandmarker fromEnvironment() throws java.io.IOException {
        return new PoseLandmarker(ModelFiles.fromEnvironment());
    }

    /** Runs the model on the square {@code region} of an RGB frame (parts outside the frame read as black). */
    public Result run(FloatImage rgb, PoseRegion region) {
        double s = region.side() / INPUT;
        double x0 = region.centerX() + 0.5 - region.side() / 2, y0 = region.centerY() + 0.5 - region.side() / 2;
        // crop pixel (u, v) samples image pixel (x0 + (u + 0.5) s - 0.5, ...): the map runs from crop to image
        double[] a = { s, 0, x0 + 0.5 * s - 0.5, 0, s, y0 + 0.5 * s - 0.5 };
        float[][] out;
        try (Mat bgr = Mats.bgr(rgb)) {
            out = net.runOnCrop(bgr, a, INPUT, "Identity", "Identity_1");
        }
        float[] raw = out[0];
        if (raw.length != MODEL_POINTS * VALUES) {
            throw new IllegalStateException("pose landmark model output Identity has " + raw.length
                    + " values, expected " + MODEL_POINTS * VALUES);
        }
        float[] points = new float[POINTS * VALUES];
        for (int i = 0; i < POINTS; i++) {
            int k = VALUES * i;
            // crop pixel coordinates run from the crop's left/top edge (MediaPipe divides them by 256)
            points[k] = (float) (x0 + raw[k] * s - 0.5);
            points[k + 1] = (float) (y0 + raw[k + 1] * s - 0.5);
            points[k + 2] = (float) (raw[k + 2] * s);
            points[k + 3] = (float) sigmoid(raw[k + 3]);
            points[k + 4] = (float) sigmoid(raw[k + 4]);
        }
        return new Result(points, out[1][0]);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    public void close() {
        net.close();
    }
}
