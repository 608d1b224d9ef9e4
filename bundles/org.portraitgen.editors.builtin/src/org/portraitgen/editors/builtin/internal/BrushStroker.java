package org.portraitgen.editors.builtin.internal;

import java.util.SplittableRandom;

import org.portraitgen.api.image.FloatImage;

/** Traces one curved stroke from a start point along the isophotes of a reference and paints it. */
final class BrushStroker {

    /** Hertzmann's curvature filter f_c: how much a stroke keeps its previous direction. */
    private static final float CURVATURE_FILTER = 0.6f;
    private static final int MIN_LENGTH = 2;

    private final int maxLength;
    private final float jitter;

    BrushStroker(int maxLength, float jitter) {
        this.maxLength = maxLength;
        this.jitter = jitter;
    }

    void paint(Canvas canvas, FloatImage reference, float[] luma, int x0, int y0, float r, SplittableRandom rnd) {
        int w = canvas.width;
        int h = canvas.height;
        int plane = w * h;
        float[] ref = reference.data();
        int start = y0 * w + x0;
        float[] colour = new float[3];
        float shift = (float) (rnd.nextDouble() - 0.5) * jitter;
        for (int c = 0; c < 3; c++) {
            float v = ref[c * plane + start] * (1 + shift + (float) (rnd.nextDouble() - 0.5) * jitter * 0.5f);
            colour[c] = Math.max(0, Math.min(1, v));
        }
        float[] xs = new float[maxLength + 1];
        float[] ys = new float[maxLength + 1];
        xs[0] = x0;
        ys[0] = y0;
        int n = 1;
        float x = x0;
        float y = y0;
        float lastDx = 0;
        float lastDy = 0;
        for (int i = 1; i <= maxLength; i++) {
            int px = Planes.clamp(Math.round(x), w);
            int py = Planes.clamp(Math.round(y), h);
            int k = py * w + px;
            if (i > MIN_LENGTH && canvas.painted(k)
                    && distance(ref, plane, k, canvas, k) < distance(ref, plane, k, colour)) {
                break;
            }
            float gx = luma[py * w + Planes.clamp(px + 1, w)] - luma[py * w + Planes.clamp(px - 1, w)];
            float gy = luma[Planes.clamp(py + 1, h) * w + px] - luma[Planes.clamp(py - 1, h) * w + px];
            if (gx * gx + gy * gy < 1e-8f) {
                break;
            }
            // the stroke runs along the edge, i.e. perpendicular to the gradient
            float dx = -gy;
            float dy = gx;
            if (lastDx * dx + lastDy * dy < 0) {
                dx = -dx;
                dy = -dy;
            }
            if (i > 1) {
                dx = CURVATURE_FILTER * dx + (1 - CURVATURE_FILTER) * lastDx;
                dy = CURVATURE_FILTER * dy + (1 - CURVATURE_FILTER) * lastDy;
            }
            float len = (float) Math.sqrt(dx * dx + dy * dy);
            dx /= len;
            dy /= len;
            x += r * dx;
            y += r * dy;
            if (x < 0 || y < 0 || x > w - 1 || y > h - 1) {
                break;
            }
            xs[n] = x;
            ys[n] = y;
            n++;
            lastDx = dx;
            lastDy = dy;
        }
        canvas.stroke(xs, ys, n, r, colour, 0.92f);
    }

    private static float distance(float[] ref, int plane, int k, Canvas canvas, int i) {
        float s = 0;
        for (int c = 0; c < 3; c++) {
            float d = ref[c * plane + k] - canvas.rgb[c][i];
            s += d * d;
        }
        return s;
    }

    private static float distance(float[] ref, int plane, int k, float[] colour) {
        float s = 0;
        for (int c = 0; c < 3; c++) {
            float d = ref[c * plane + k] - colour[c];
            s += d * d;
        }
        return s;
    }
}
