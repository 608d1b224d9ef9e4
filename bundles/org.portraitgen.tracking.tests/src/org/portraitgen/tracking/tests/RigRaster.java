package org.portraitgen.tracking.tests;

import org.portraitgen.api.tracking.Camera;

/** Which pixels (centres) lie inside at least one projected triangle: a plain scan-conversion reference. */
final class RigRaster {

    private RigRaster() {
    }

    static boolean[] coverage(int[] tris, float[] v, Camera c, int w, int h) {
        boolean[] out = new boolean[w * h];
        for (int t = 0; t < tris.length; t += 3) {
            double[] a = project(v, tris[t], c), b = project(v, tris[t + 1], c), d = project(v, tris[t + 2], c);
            int x0 = (int) Math.max(0, Math.floor(Math.min(a[0], Math.min(b[0], d[0]))));
            int x1 = (int) Math.min(w - 1, Math.ceil(Math.max(a[0], Math.max(b[0], d[0]))));
            int y0 = (int) Math.max(0, Math.floor(Math.min(a[1], Math.min(b[1], d[1]))));
            int y1 = (int) Math.min(h - 1, Math.ceil(Math.max(a[1], Math.max(b[1], d[1]))));
            double area = cross(a, b, d);
            if (Math.abs(area) < 1e-12) {
                continue;
            }
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double[] p = { x + 0.5, y + 0.5 };
                    double w0 = cross(b, d, p) / area, w1 = cross(d, a, p) / area, w2 = cross(a, b, p) / area;
                    if (w0 >= -1e-9 && w1 >= -1e-9 && w2 >= -1e-9) {
                        out[y * w + x] = true;
                    }
                }
            }
        }
        return out;
    }

    private static double[] project(float[] v, int i, Camera c) {
        return new double[] { c.fx() * v[3 * i] / v[3 * i + 2] + c.cx(), c.fy() * v[3 * i + 1] / v[3 * i + 2] + c.cy() };
    }

    private static double cross(double[] a, double[] b, double[] p) {
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    }
}
