package org.portraitgen.tracking.internal.matte;

import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.file.Path;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.portraitgen.tracking.internal.models.Mats;
import org.portraitgen.tracking.internal.models.TfliteNet;

/**
 * MediaPipe selfie segmentation (general model): input [1,3,256,256] RGB in [0,1], output {@code activation_10}
 * [1,1,256,256], person probability. The frame is squashed to 256² as MediaPipe does, and the result stretched back.
 */
public final class SelfieSegmenter implements AutoCloseable {

    private static final int SIZE = 256;
    private final TfliteNet net;

    public SelfieSegmenter(Path model) {
        net = new TfliteNet(model);
    }

    /** Person probability per pixel at the frame's size (bilinear upsampling of the 256² output). */
    public float[] segment(Mat bgr) {
        try (Mat blob = blobFromImage(bgr, 1 / 255.0, new Size(SIZE, SIZE), new Scalar(0.0), true, false, 5)) {
            float[] coarse = net.run(blob, "activation_10")[0];
            try (Mat small = Mats.floats(coarse, SIZE, SIZE); Mat full = new Mat()) {
                resize(small, full, new Size(bgr.cols(), bgr.rows()), 0, 0, INTER_LINEAR);
                return Mats.floats(full);
            }
        }
    }

    @Override
    public void close() {
        net.close();
    }
}
