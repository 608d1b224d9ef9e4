package org.portraitgen.edit.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.ColorSpaces;

/**
 * Temporal consistency as optical-flow warp error: flow between consecutive source frames (OpenCV DIS, medium
 * preset) with a forward-backward occlusion check (Sundaram et al.: |f + b|^2 < 0.01 (|f|^2 + |b|^2) + 0.5), then
 * the mean absolute RGB difference, in 0-255 levels, between frame t and frame t+1 warped onto t over the pixels that
 * stay visible. The flow comes from the source, so the same motion judges the source and any edit of it.
 */
public final class WarpError implements AutoCloseable {
    private final DISOpticalFlow dis = DISOpticalFlow.create(DISOpticalFlow.PRESET_MEDIUM);

    /** Flow and visibility between two source frames, to judge any pair of frames of that size. */
    public record Motion(int width, int height, float[] forward, boolean[] visible) {
    }

    public Motion motion(FloatImage sourceT, FloatImage sourceNext) {
        int w = sourceT.width(), h = sourceT.height();
        float[] fwd = flow(sourceT, sourceNext);
        float[] bwd = flow(sourceNext, sourceT);
        boolean[] visible = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double fx = fwd[2 * i], fy = fwd[2 * i + 1];
                double qx = x + fx, qy = y + fy;
                if (qx < 0 || qy < 0 || qx > w - 1 || qy > h - 1) {
                    continue;
                }
                double bx = bilinear(bwd, w, h, 0, qx, qy), by = bilinear(bwd, w, h, 1, qx, qy);
                double sx = fx + bx, sy = fy + by;
                visible[i] = sx * sx + sy * sy < 0.01 * (fx * fx + fy * fy + bx * bx + by * by) + 0.5;
            }
        }
        return new Motion(w, h, fwd, visible);
    }

    /** Mean |frame t - warp(frame t+1)| over visible pixels and RGB channels, 0-255 levels. */
    public static double error(Motion m, FloatImage t, FloatImage next) {
        if (t.width() != m.width() || t.height() != m.height() || !next.sameSize(t)) {
            throw new IllegalArgumentException("frames of " + t.width() + "x" + t.height() + " do not match the"
                    + " source motion's " + m.width() + "x" + m.height());
        }
        int w = m.width(), h = m.height(), plane = w * h;
        double sum = 0;
        long n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!m.visible()[i]) {
                    continue;
                }
                double qx = x + m.forward()[2 * i], qy = y + m.forward()[2 * i + 1];
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs(t.data()[c * plane + i] - Planes.sample(next, c, qx, qy));
                }
                n += 3;
            }
        }
        return n == 0 ? 0 : 255 * sum / n;
    }

    private float[] flow(FloatImage a, FloatImage b) {
        try (Mat ga = grey(a); Mat gb = grey(b); Mat flow = new Mat()) {
            dis.calc(ga, gb, flow);
            float[] f = new float[a.width() * a.height() * 2];
            new FloatPointer(flow.data()).get(f);
            return f;
        }
    }

    private static Mat grey(FloatImage img) {
        int plane = img.planeSize();
        byte[] bytes = new byte[plane];
        float[] d = img.data();
        for (int i = 0; i < plane; i++) {
            float l = img.channels() >= 3 ? ColorSpaces.luma(d[i], d[plane + i], d[2 * plane + i]) : d[i];
            bytes[i] = (byte) Math.round(255 * ColorSpaces.clamp01(l));
        }
        Mat m = new Mat(img.height(), img.width(), CV_8UC1);
        new BytePointer(m.data()).put(bytes);
        return m;
    }

    private static double bilinear(float[] f, int w, int h, int k, double x, double y) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        int x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
        double ax = x - x0, ay = y - y0;
        return (f[2 * (y0 * w + x0) + k] * (1 - ax) + f[2 * (y0 * w + x1) + k] * ax) * (1 - ay)
                + (f[2 * (y1 * w + x0) + k] * (1 - ax) + f[2 * (y1 * w + x1) + k] * ax) * ay;
    }

    @Override
    public void close() {
        dis.close();
    }
}
