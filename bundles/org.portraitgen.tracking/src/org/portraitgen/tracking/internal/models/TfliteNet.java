package org.portraitgen.tracking.internal.models;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromTFLite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.nio.file.Path;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * A TFLite model run by OpenCV DNN. Not thread-safe: one instance per thread. OpenCV returns the TFLite output names
 * with a trailing NUL byte, and {@code forward(name)} only matches them untrimmed, so outputs are looked up by the
 * trimmed name and fetched by index.
 */
public final class TfliteNet implements AutoCloseable {

    private final Net net;
    private final String[] outputNames;
    private final StringVector rawNames;

    public TfliteNet(Path model) {
        net = readNetFromTFLite(model.toString());
        if (net.empty()) {
            throw new IllegalStateException("OpenCV DNN could not load " + model);
        }
        rawNames = net.getUnconnectedOutLayersNames();
        outputNames = new String[(int) rawNames.size()];
        for (int i = 0; i < outputNames.length; i++) {
            outputNames[i] = rawNames.get(i).getString().replace("\0", "").trim();
        }
    }

    /** Runs the model on an NCHW blob; returns the outputs in the order of {@code names}. */
    public float[][] run(Mat blob, String... names) {
        net.setInput(blob);
        MatVector outs = new MatVector();
        net.forward(outs, rawNames);
        float[][] result = new float[names.length][];
        for (int n = 0; n < names.length; n++) {
            int i = indexOf(names[n]);
            Mat m = outs.get(i);
            float[] data = new float[(int) m.total()];
            try (FloatPointer fp = new FloatPointer(m.data())) {
                fp.get(data);
            }
            result[n] = data;
        }
        outs.close();
        return result;
    }

    /**
     * Runs the model on a {@code size} x {@code size} RGB crop in [0, 1] of a BGR image: crop pixel (u, v) samples
     * image point {@code cropToImage} · (u, v, 1) (row-major 2x3, bilinear; outside the image reads black).
     */
    public float[][] runOnCrop(Mat bgr, double[] cropToImage, int size, String... names) {
        try (Mat affine = new Mat(2, 3, CV_64F); Mat crop = new Mat()) {
            new DoublePointer(affine.data()).put(cropToImage);
            // the map goes from crop to image, so it is the inverse of warpAffine's usual direction
            warpAffine(bgr, crop, affine, new Size(size, size), INTER_LINEAR | WARP_INVERSE_MAP, BORDER_CONSTANT,
                    new Scalar(0.0));
            try (Mat blob = blobFromImage(crop, 1 / 255.0, new Size(size, size), new Scalar(0.0), true, false, 5)) {
                return run(blob, names);
            }
        }
    }

    private int indexOf(String name) {
        for (int i = 0; i < outputNames.length; i++) {
            if (outputNames[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("model has no output '" + name + "': " + String.join(", ", outputNames));
    }

    @Override
    public void close() {
        net.close();
    }
}
