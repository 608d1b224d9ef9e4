package org.portraitgen.tracking.internal.rig;

import org.portraitgen.tracking.internal.face.Intrinsics;

/**
 * Which pixels a frame's rig covers: each triangle projected and scan-converted at pixel centres. Used to check that
 * every foreground pixel lies under some triangle (Gaussians can only appear where the rig is).
 */
public final class Coverage {

    private Coverage() {
    }

    public static boolean[] of(int[] tris, float[] vertices, Intrinsics camera) {
        int w = camera.width(), h = camera.height();
        boolean[] out = new boolean[w * h];
        for (int t = 0; t < tris.length; t += 3) {
            double[] a = project(vertices, tris[t], camera), b = project(vertices, tris[t + 1], camera);
            double[] c = project(vertices, tris[t + 2], camera);
            double area = cross(a, b, c);
            if (Math.abs(area) < 1e-12) {
                continue;
            }
            int x0 = (int) Math.max(0, Math.floor(Math.min(a[0], Math.min(b[0], c[0]))));
            int x1 = (int) Math.min(w - 1, Math.ceil(Math.max(a[0], Math.max(b[0], c[0]))));
            int y0 = (int) Math.max(0, Math.floor(Math.min(a[1], Math.min(b[1], c[1]))));
            int y1 = (int) Math.min(h - 1, Math.ceil(Math.max(a[1], Math.max(b[1], c[1]))));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double[] p = { x + 0.5, y + 0.5 };
                    // barycentric signs relative to the triangle's own orientation, so both windings count
                    if (cross(b, c, p) / area >= -1e-9 && cross(c, a, p) / area >= -1e-9
                            && cross(a, b, p) / area >= -1e-9) {
                        out[y * w + x] = true;
                    }
                }
            }
        }
        return out;
    }

    /** The share of mask pixels above 0.5 that the rig covers (1 when the mask is empty). */
    public static double ofMask(int[] tris, float[] vertices, Intrinsics camera, float[] mask) {
        boolean[] under = of(tris, vertices, camera);
        long fg = 0, covered = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] > 0.5f) {
                fg++;
                covered += under[i] ? 1 : 0;
            }
        }
        return fg == 0 ? 1 : (double) covered / fg;
    }

    private static double[] project(float[] v, int i, Intrinsics c) {
        return c.project(v[3 * i], v[3 * i + 1], v[3 * i + 2]);
    }

    private static double cross(double[] a, double[] b, double[] p) {
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    }
}
