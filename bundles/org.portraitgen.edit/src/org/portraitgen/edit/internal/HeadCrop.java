package org.portraitgen.edit.internal;

import java.util.Arrays;

import org.portraitgen.api.image.FloatImage;

/**
 * Face-aware editing's geometry: a square crop {@code scale} times the face box (PortraitGen: 1.7x) resampled to the
 * editor's resolution, pasted back, and a head mask (the face points' convex hull, dilated and feathered) that says
 * where the crop's edit replaces the whole-frame edit.
 *
 * @param cx   centre of the crop, pixels
 * @param cy   centre of the crop, pixels
 * @param side side of the square crop, pixels of the frame
 */
public record HeadCrop(double cx, double cy, double side) {

    /** The crop around face points (x,y pairs, pixels). */
    public static HeadCrop around(double[] points, double scale) {
        double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (int i = 0; i < points.length / 2; i++) {
            x0 = Math.min(x0, points[2 * i]);
            x1 = Math.max(x1, points[2 * i]);
            y0 = Math.min(y0, points[2 * i + 1]);
            y1 = Math.max(y1, points[2 * i + 1]);
        }
        return new HeadCrop((x0 + x1) / 2, (y0 + y1) / 2, Math.max(1, Math.max(x1 - x0, y1 - y0) * scale));
    }

    /** The crop as a {@code size} x {@code size} image (bilinear; outside the frame, the edge pixels). */
    public FloatImage cut(FloatImage frame, int size) {
        FloatImage out = new FloatImage(size, size, frame.channels());
        double step = side / size;
        double left = cx - side / 2, top = cy - side / 2;
        for (int c = 0; c < frame.channels(); c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    out.set(c, x, y, Planes.sample(frame, c, left + (x + 0.5) * step - 0.5,
                            top + (y + 0.5) * step - 0.5));
                }
            }
        }
        return out;
    }

    /** The crop's image mapped back into a {@code w} x {@code h} frame; pixels outside the crop are 0. */
    public FloatImage paste(FloatImage crop, int w, int h) {
        FloatImage out = new FloatImage(w, h, crop.channels());
        double scale = crop.width() / side;
        double left = cx - side / 2, top = cy - side / 2;
        for (int c = 0; c < crop.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = (x - left) * scale, v = (y - top) * scale;
                    if (u >= 0 && v >= 0 && u < crop.width() && v < crop.height()) {
                        out.set(c, x, y, Planes.sample(crop, c, u - 0.5, v - 0.5));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The head mask: 1 inside the face points' convex hull grown by {@code dilate} pixels, a Gaussian ramp of
     * {@code feather} pixels at its edge, 0 outside the crop (whose pixels the crop's edit does not cover).
     */
    public FloatImage headMask(double[] points, int w, int h, double dilate, double feather) {
        double[] hull = convexHull(points);
        float[] m = new float[w * h];
        double left = cx - side / 2, top = cy - side / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = distanceOutside(hull, x, y) <= dilate ? 1f : 0f;
            }
        }
        Planes.blur(m, w, h, feather);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // fade to 0 before the crop's border, so no pasted edge shows
                double edge = Math.min(Math.min(x - left, left + side - x), Math.min(y - top, top + side - y));
                double inside = Math.max(0, Math.min(1, edge / Math.max(1, feather)));
                m[y * w + x] *= (float) inside;
            }
        }
        return new FloatImage(w, h, 1, m);
    }

    /** Andrew's monotone chain; returns the hull's corners counter-clockwise as x,y pairs. */
    static double[] convexHull(double[] points) {
        int n = points.length / 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> points[2 * a] != points[2 * b] ? Double.compare(points[2 * a], points[2 * b])
                : Double.compare(points[2 * a + 1], points[2 * b + 1]));
        int[] hull = new int[2 * n + 1];
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            int start = k;
            for (int j = 0; j < n; j++) {
                int i = order[pass == 0 ? j : n - 1 - j];
                while (k >= start + 2 && cross(points, hull[k - 2], hull[k - 1], i) <= 0) {
                    k--;
                }
                hull[k++] = i;
            }
            k--; // the last point starts the other chain
        }
        double[] out = new double[2 * Math.max(k, 1)];
        for (int i = 0; i < out.length / 2; i++) {
            out[2 * i] = points[2 * hull[i]];
            out[2 * i + 1] = points[2 * hull[i] + 1];
        }
        return out;
    }

    private static double cross(double[] p, int o, int a, int b) {
        return (p[2 * a] - p[2 * o]) * (p[2 * b + 1] - p[2 * o + 1]) - (p[2 * a + 1] - p[2 * o + 1]) * (p[2 * b] - p[2 * o]);
    }

    /** 0 inside the counter-clockwise convex polygon, else the distance to its nearest edge. */
    static double distanceOutside(double[] hull, double x, double y) {
        int n = hull.length / 2;
        boolean inside = n >= 3;
        double best = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double ax = hull[2 * i], ay = hull[2 * i + 1];
            double bx = hull[2 * ((i + 1) % n)], by = hull[2 * ((i + 1) % n) + 1];
            double ex = bx - ax, ey = by - ay;
            if (ex * (y - ay) - ey * (x - ax) < 0) {
                inside = false;
            }
            double len = ex * ex + ey * ey;
            double t = len == 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / len));
            best = Math.min(best, Math.hypot(x - ax - t * ex, y - ay - t * ey));
        }
        return inside ? 0 : best;
    }
}
