package org.portraitgen.tracking.internal.models;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.portraitgen.api.image.FloatImage;

/** Conversions between planar {@link FloatImage}s and OpenCV matrices. */
public final class Mats {

    private Mats() {
    }

    /** An 8-bit BGR matrix (OpenCV's channel order) of an RGB image in [0, 1]. */
    public static Mat bgr(FloatImage rgb) {
        int w = rgb.width(), h = rgb.height(), n = w * h;
        float[] d = rgb.data();
        byte[] px = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            px[3 * i] = toByte(d[2 * n + i]);
            px[3 * i + 1] = toByte(d[n + i]);
            px[3 * i + 2] = toByte(d[i]);
        }
        Mat m = new Mat(h, w, CV_8UC3);
        new BytePointer(m.data()).put(px);
        return m;
    }

    /** A single-channel float matrix holding a copy of {@code values} ({@code h * w}, row-major). */
    public static Mat floats(float[] values, int w, int h) {
        Mat m = new Mat(h, w, CV_32F);
        new FloatPointer(m.data()).put(values);
        return m;
    }

    /** The values of a continuous single-channel float matrix. */
    public static float[] floats(Mat m) {
        float[] out = new float[(int) m.total()];
        new FloatPointer(m.data()).get(out);
        return out;
    }

    /** Rec. 709 luma of an RGB image, the guide for edge-aware filtering. */
    public static float[] luma(FloatImage rgb) {
        int n = rgb.planeSize();
        float[] d = rgb.data(), y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = 0.2126f * d[i] + 0.7152f * d[n + i] + 0.0722f * d[2 * n + i];
        }
        return y;
    }

    private static byte toByte(float v) {
        return (byte) Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
