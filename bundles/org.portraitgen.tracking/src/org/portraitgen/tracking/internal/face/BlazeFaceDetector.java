package org.portraitgen.tracking.internal.face;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.portraitgen.tracking.internal.models.TfliteNet;

/**
 * MediaPipe's short-range face detector (BlazeFace): 128² RGB input in [-1, 1] of the frame letterboxed to a
 * square; outputs {@code regressors} [896,16] (box centre offset, size, six keypoints, in input pixels relative to
 * the anchor) and {@code classificators} [896] logits. Anchors: 16x16 cells x 2 then 8x8 cells x 6, unit size.
 */
public final class BlazeFaceDetector implements FaceDetector {

    private static final int INPUT = 128;
    private static final double[] ANCHORS = anchors();
    private final TfliteNet net;
    private final double minScore;

    public BlazeFaceDetector(Path model, double minScore) {
        this.net = new TfliteNet(model);
        this.minScore = minScore;
    }

    @Override
    public String name() {
        return "mediapipe-face-detection-short-range";
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        int side = Math.max(bgr.cols(), bgr.rows());
        int padX = (side - bgr.cols()) / 2, padY = (side - bgr.rows()) / 2;
        float[] boxes, logits;
        try (Mat square = new Mat()) {
            copyMakeBorder(bgr, square, padY, side - bgr.rows() - padY, padX, side - bgr.cols() - padX,
                    BORDER_CONSTANT, new Scalar(0.0));
            try (Mat blob = blobFromImage(square, 1 / 127.5, new Size(INPUT, INPUT), new Scalar(127.5, 127.5, 127.5, 0),
                    true, false, 5)) {
                float[][] out = net.run(blob, "regressors", "classificators");
                boxes = out[0];
                logits = out[1];
            }
        }
        List<Detection> raw = new ArrayList<>();
        for (int a = 0; a < logits.length; a++) {
            double score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, logits[a]))));
            if (score < minScore) {
                continue;
            }
            raw.add(decode(boxes, a, score, side, padX, padY));
        }
        return WeightedNms.apply(raw, 0.3);
    }

    private static Detection decode(float[] r, int a, double score, int side, int padX, int padY) {
        double ax = ANCHORS[2 * a], ay = ANCHORS[2 * a + 1];
        int o = a * 16;
        double cx = ax + r[o] / INPUT, cy = ay + r[o + 1] / INPUT, w = r[o + 2] / INPUT, h = r[o + 3] / INPUT;
        double[] kp = new double[12];
        for (int k = 0; k < 6; k++) {
            kp[2 * k] = (ax + r[o + 4 + 2 * k] / INPUT) * side - padX;
            kp[2 * k + 1] = (ay + r[o + 5 + 2 * k] / INPUT) * side - padY;
        }
        return new Detection((cx - w / 2) * side - padX, (cy - h / 2) * side - padY, (cx + w / 2) * side - padX,
                (cy + h / 2) * side - padY, score, kp);
    }

    /** Anchor centres, x,y per anchor, in the order of the model's outputs. */
    static double[] anchors() {
        double[] out = new double[896 * 2];
        int i = 0;
        int[][] layers = { { 16, 2 }, { 8, 6 } };
        for (int[] layer : layers) {
            int grid = layer[0];
            for (int y = 0; y < grid; y++) {
                for (int x = 0; x < grid; x++) {
                    for (int n = 0; n < layer[1]; n++) {
                        out[i++] = (x + 0.5) / grid;
                        out[i++] = (y + 0.5) / grid;
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        net.close();
    }

    /** Orders detections best first; used by callers that merge several sources. */
    static final Comparator<Detection> BY_SCORE = Comparator.comparingDouble(Detection::score).reversed();
}
