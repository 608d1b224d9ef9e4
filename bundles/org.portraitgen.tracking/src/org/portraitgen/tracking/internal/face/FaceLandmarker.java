package org.portraitgen.tracking.internal.face;


import java.nio.file.Path;

import org.bytedeco.opencv.opencv_core.Mat;
import org.portraitgen.tracking.internal.models.TfliteNet;

/**
 * MediaPipe's face landmark model (468 points with depth) on a rotated crop: input [1,3,192,192] RGB in [0,1];
 * outputs {@code conv2d_21} (x,y,z per point in crop pixels) and {@code conv2d_31} (face-presence logit).
 */
public final class FaceLandmarker implements AutoCloseable {

    public static final int POINTS = 468;
    private static final int INPUT = 192;
    private final TfliteNet net;

    /** Landmarks in image pixels (x, y, and z in the same pixel scale, relative) and the face-presence score. */
    public record Result(float[] points, double presence) {
    }

    public FaceLandmarker(Path model) {
        net = new TfliteNet(model);
    }

    public Result run(Mat bgr, FaceRoi roi) {
        double[] a = roi.cropToImage(INPUT);
        float[][] out = net.runOnCrop(bgr, a, INPUT, "conv2d_21", "conv2d_31");
        float[] crop = out[0];
        float[] points = new float[POINTS * 3];
        double scale = roi.side() / INPUT;
        for (int i = 0; i < POINTS; i++) {
            double u = crop[3 * i], v = crop[3 * i + 1];
            points[3 * i] = (float) (a[0] * u + a[1] * v + a[2]);
            points[3 * i + 1] = (float) (a[3] * u + a[4] * v + a[5]);
            points[3 * i + 2] = (float) (crop[3 * i + 2] * scale);
        }
        double presence = 1 / (1 + Math.exp(-out[1][0]));
        return new Result(points, presence);
    }

    @Override
    public void close() {
        net.close();
    }
}
