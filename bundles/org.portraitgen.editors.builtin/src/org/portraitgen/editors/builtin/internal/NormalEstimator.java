package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/**
 * Rough normals when no geometry is given: the silhouette is inflated into a smooth height field (the mask blurred
 * wide, so its edges round off like a cushion; without a mask, a Gaussian dome over the frame, where portraits keep
 * their subject), and a little luminance adds relief (brighter reads as nearer). Smoothness matters more than
 * accuracy here: a distance transform has ridges along its medial axis that light up as creases. Good enough for soft
 * relighting of a head; not a substitute for the field's normals.
 */
final class NormalEstimator {

    /** Height of the inflated silhouette, relative to the image's shorter side. */
    private static final float HEIGHT = 0.25f;
    /** Width of the rounded rim, relative to the shorter side. */
    private static final float RIM = 0.06f;
    /** Share of the height from luminance relief. */
    private static final float RELIEF = 0.03f;

    private NormalEstimator() {
    }

    /** Normals in OpenGL camera convention (x right, y up, z toward the viewer), 3 channels in [-1, 1]. */
    static FloatImage estimate(FloatImage image, FloatImage mask) {
        int w = image.width();
        int h = image.height();
        int side = Math.min(w, h);
        FloatImage height = mask == null ? dome(w, h) : Planes.blur(mask, Math.max(1, RIM * side));
        float[] luma = Planes.luma(Planes.blur(image, 1 + 0.01 * side));
        float[] hd = height.data();
        for (int i = 0; i < w * h; i++) {
            hd[i] = HEIGHT * side * (hd[i] + RELIEF * luma[i]);
        }
        return normalsOf(hd, w, h);
    }

    /** exp(-r^2 / 2) with r = 1 at half the frame: rounded everywhere, steepest towards the frame's edges. */
    private static FloatImage dome(int w, int h) {
        FloatImage d = new FloatImage(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x + 0.5 - w / 2.0) / (w / 2.0);
                double v = (y + 0.5 - h / 2.0) / (h / 2.0);
                d.set(0, x, y, (float) Math.exp(-(u * u + v * v) / 2));
            }
        }
        return d;
    }

    private static FloatImage normalsOf(float[] s, int w, int h) {
        FloatImage normals = new FloatImage(w, h, 3);
        float[] n = normals.data();
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float dx = (s[y * w + Planes.clamp(x + 1, w)] - s[y * w + Planes.clamp(x - 1, w)]) * 0.5f;
                float dy = (s[Planes.clamp(y + 1, h) * w + x] - s[Planes.clamp(y - 1, h) * w + x]) * 0.5f;
                // image y grows downwards, camera y upwards: the y slope changes sign
                float nx = -dx;
                float ny = dy;
                float len = (float) Math.sqrt(nx * nx + ny * ny + 1);
                int i = y * w + x;
                n[i] = nx / len;
                n[plane + i] = ny / len;
                n[2 * plane + i] = 1 / len;
            }
        }
        return normals;
    }
}
