package org.portraitgen.editors.builtin.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.portraitgen.api.image.FloatImage;

/**
 * Planar float RGB to OpenCV's interleaved 8-bit BGR and back. OpenCV's photo module only takes 8-bit images, and
 * the values are sRGB codes already (FloatImage holds what the frame held), so no transfer curve is applied.
 */
final class Mats {

    private Mats() {
    }

    /** A new continuous CV_8UC3 BGR matrix; the caller closes it. */
    static Mat toBgr(FloatImage rgb) {
        int w = rgb.width();
        int h = rgb.height();
        int plane = w * h;
        float[] d = rgb.data();
        byte[] px = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            px[3 * i] = toByte(d[2 * plane + i]);
            px[3 * i + 1] = toByte(d[plane + i]);
            px[3 * i + 2] = toByte(d[i]);
        }
        Mat m = new Mat(h, w, CV_8UC3);
        m.data().put(px);
        return m;
    }

    /** A new continuous CV_8UC1 matrix of one plane; the caller closes it. */
    static Mat toGray(FloatImage image, int channel) {
        int plane = image.planeSize();
        byte[] px = new byte[plane];
        for (int i = 0; i < plane; i++) {
            px[i] = toByte(image.data()[channel * plane + i]);
        }
        Mat m = new Mat(image.height(), image.width(), CV_8UC1);
        m.data().put(px);
        return m;
    }

    /** Reads a CV_8UC3 (BGR) or CV_8UC1 (grey, copied to R, G and B) matrix into RGB planes. */
    static FloatImage toRgb(Mat m) {
        Mat src = m.isContinuous() ? m : m.clone();
        int w = src.cols();
        int h = src.rows();
        int plane = w * h;
        int ch = src.channels();
        if (src.depth() != 0 || (ch != 1 && ch != 3)) {
            throw new IllegalStateException("expected an 8-bit grey or BGR matrix, got type " + src.type());
        }
        byte[] px = new byte[plane * ch];
        BytePointer data = src.data();
        data.get(px);
        FloatImage out = new FloatImage(w, h, 3);
        float[] d = out.data();
        for (int i = 0; i < plane; i++) {
            if (ch == 1) {
                float g = (px[i] & 0xff) / 255f;
                d[i] = g;
                d[plane + i] = g;
                d[2 * plane + i] = g;
            } else {
                d[2 * plane + i] = (px[3 * i] & 0xff) / 255f;
                d[plane + i] = (px[3 * i + 1] & 0xff) / 255f;
                d[i] = (px[3 * i + 2] & 0xff) / 255f;
            }
        }
        if (src != m) {
            src.close();
        }
        return out;
    }

    private static byte toByte(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return (byte) (v >= 1 ? 255 : Math.round(v * 255f));
    }

    /**
     * CIE L*a*b* planes (L in [0, 100], a and b around [-127, 127]) through OpenCV's float conversion, which applies
     * the sRGB curve and a D65 white.
     */
    static FloatImage toLab(FloatImage rgb) {
        return convertFloat(rgb, opencv_imgproc.COLOR_RGB2Lab);
    }

    /** The inverse of {@link #toLab}; out-of-gamut results are clamped by the caller's blend. */
    static FloatImage fromLab(FloatImage lab) {
        return convertFloat(lab, opencv_imgproc.COLOR_Lab2RGB);
    }

    private static FloatImage convertFloat(FloatImage in, int code) {
        int w = in.width();
        int h = in.height();
        int plane = w * h;
        float[] d = in.data();
        float[] px = new float[plane * 3];
        for (int i = 0; i < plane; i++) {
            px[3 * i] = d[i];
            px[3 * i + 1] = d[plane + i];
            px[3 * i + 2] = d[2 * plane + i];
        }
        try (Mat src = new Mat(h, w, CV_32FC3); Mat dst = new Mat()) {
            new FloatPointer(src.data()).put(px);
            opencv_imgproc.cvtColor(src, dst, code);
            Mat cont = dst.isContinuous() ? dst : dst.clone();
            new FloatPointer(cont.data()).get(px);
        }
        FloatImage out = new FloatImage(w, h, 3);
        for (int i = 0; i < plane; i++) {
            out.data()[i] = px[3 * i];
            out.data()[plane + i] = px[3 * i + 1];
            out.data()[2 * plane + i] = px[3 * i + 2];
        }
        return out;
    }
}
