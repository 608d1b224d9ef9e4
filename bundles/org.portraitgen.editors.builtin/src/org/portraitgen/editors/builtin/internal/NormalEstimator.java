package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/**
 * Rough normals when no geometry is given: the silhouette (mask, or the whole frame) is inflated into a rounded
 * height field, as sketch-based modelling does, and a little blurred luminance adds relief (brighter reads as
 * nearer). Good enough for soft relighting of a head; not a substitute for the field's normals.
 */
final class NormalEstimator {

    /** Share of the height from luminance relief, relative to the inflated silhouette's height. */
    private static final float RELIEF = 0.12f;

    private NormalEstimator() {
    }

    /** Normals in OpenGL camera convention (x right, y up, z toward the viewer), 3 channels in [-1, 1]. */
    static FloatImage estimate(FloatImage image, FloatImage mask) {
        int w = image.width();
        int h = image.height();
        float[] dist = distanceToOutside(mask, w, h);
        float dmax = 1e-3f;
        for (float d : dist) {
            dmax = Math.max(dmax, d);
        }
        FloatImage height = new FloatImage(w, h, 1);
        float[] luma = Planes.luma(image);
        float[] hd = height.data();
        for (int i = 0; i < w * h; i++) {
            float d = dist[i];
            // a circular profile: a sphere of radius dmax seen from the front, rising from the outline
            hd[i] = (float) Math.sqrt(Math.max(0, 2 * dmax * d - d * d)) + RELIEF * dmax * luma[i];
        }
        FloatImage smooth = Planes.blur(height, 1 + 0.02 * Math.min(w, h));
        FloatImage normals = new FloatImage(w, h, 3);
        float[] s = smooth.data();
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

    /** Chamfer (3-4) distance in pixels to the nearest outside pixel; the frame's border counts as outside. */
    private static float[] distanceToOutside(FloatImage mask, int w, int h) {
        float inf = 1e9f;
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = mask == null || mask.data()[i] > 0.5f ? inf : 0;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float v = d[i];
                v = Math.min(v, at(d, w, h, x - 1, y) + 1);
                v = Math.min(v, at(d, w, h, x, y - 1) + 1);
                v = Math.min(v, at(d, w, h, x - 1, y - 1) + 1.4142f);
                v = Math.min(v, at(d, w, h, x + 1, y - 1) + 1.4142f);
                d[i] = v;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int i = y * w + x;
                float v = d[i];
                v = Math.min(v, at(d, w, h, x + 1, y) + 1);
                v = Math.min(v, at(d, w, h, x, y + 1) + 1);
                v = Math.min(v, at(d, w, h, x + 1, y + 1) + 1.4142f);
                v = Math.min(v, at(d, w, h, x - 1, y + 1) + 1.4142f);
                d[i] = v;
            }
        }
        return d;
    }

    private static float at(float[] d, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : d[y * w + x];
    }
}
