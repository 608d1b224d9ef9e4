package org.portraitgen.tracking.internal.models;

import static org.bytedeco.opencv.global.opencv_dnn.readNetFromTFLite;

import java.nio.file.Path;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
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
