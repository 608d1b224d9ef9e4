package org.portraitgen.tracking.internal.face;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.nio.file.Path;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
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
        float[][] out;
        try (Mat affine = new Mat(2, 3, CV_64F); Mat crop = new Mat()) {
            new DoublePointer(affine.data()).put(a);
            // the map goes from crop to image, so it is the inverse of warpAffine's usual direction
            warpAffine(bgr, crop, affine, new Size(INPUT, INPUT), INTER_LINEAR | WARP_INVERSE_MAP, BORDER_CONSTANT,
                    new Scalar(0.0));
            try (Mat blob = blobFromImage(crop, 1 / 255.0, new Size(INPUT, INPUT), new Scalar(0.0), true, false, 5)) {
                out = net.run(blob, "conv2d_21", "conv2d_31");
            }
        }
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
