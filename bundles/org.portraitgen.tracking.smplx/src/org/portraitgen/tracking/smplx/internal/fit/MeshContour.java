package org.portraitgen.tracking.smplx.internal.fit;

import java.util.HashMap;
import java.util.Map;

/**
 * The occluding contour of a mesh seen from the camera (at the origin): vertices of edges shared by a front-facing
 * and a back-facing triangle, kept only where they lie on the outline of the mesh's own projection (a fold inside
 * the outline, e.g. around a nose or a jaw, is a contour edge too, but no mask edge corresponds to it). Border edges
 * (one triangle, e.g. FLAME's neck opening) are not contour: they end the model, not the person.
 */
public final class MeshContour {

    private final int[] faces;
    /** Interior edges: vertex a, vertex b, face 1, face 2. */
    private final int[] edges;

    public MeshContour(int[] faces) {
        this.faces = faces;
        Map<Long, int[]> byEdge = new HashMap<>();
        int nf = faces.length / 3;
        for (int f = 0; f < nf; f++) {
            for (int c = 0; c < 3; c++) {
                int a = faces[3 * f + c], b = faces[3 * f + (c + 1) % 3];
                long key = (long) Math.min(a, b) << 32 | Math.max(a, b);
                int[] e = byEdge.get(key);
                if (e == null) {
                    byEdge.put(key, new int[] { Math.min(a, b), Math.max(a, b), f, -1 });
                } else if (e[3] < 0) {
                    e[3] = f;
                }
            }
        }
        edges = byEdge.values().stream().filter(e -> e[3] >= 0).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /**
     * Contour vertex indices of the posed mesh {@code vertices} ([V, 3], camera space), ascending, that project within
     * 1.5 px of the outline of the mesh's own coverage in a {@code width} x {@code height} image.
     */
    public int[] outline(double[] vertices, Pinhole camera, int width, int height) {
        int[] all = vertices(vertices);
        int nv = vertices.length / 3;
        double[] uv = new double[2 * nv], q = new double[2], x = new double[3];
        for (int i = 0; i < nv; i++) {
            System.arraycopy(vertices, 3 * i, x, 0, 3);
            if (x[2] <= 1e-6) {
                uv[2 * i] = uv[2 * i + 1] = Double.NaN;
                continue;
            }
            camera.project(x, q, null, null);
            uv[2 * i] = q[0];
            uv[2 * i + 1] = q[1];
        }
        boolean[] covered = coverage(uv, faces, width, height);
        return java.util.Arrays.stream(all).filter(v -> onOutline(covered, width, height, uv[2 * v], uv[2 * v + 1]))
                .toArray();
    }

    private static boolean onOutline(boolean[] covered, int w, int h, double u, double v) {
        if (Double.isNaN(u)) {
            return false;
        }
        int cu = (int) Math.round(u), cv = (int) Math.round(v);
        for (int y = cv - 2; y <= cv + 2; y++) {
            for (int x = cu - 2; x <= cu + 2; x++) {
                if ((x - u) * (x - u) + (y - v) * (y - v) <= 2.25
                        && (x < 0 || y < 0 || x >= w || y >= h || !covered[y * w + x])) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Pixel centres of a {@code w} x {@code h} image inside any triangle of {@code faces} with image positions
     * {@code uv} ([V, 2]; NaN: not projected).
     */
    public static boolean[] coverage(double[] uv, int[] faces, int w, int h) {
        boolean[] mask = new boolean[w * h];
        for (int t = 0; t < faces.length; t += 3) {
            double ax = uv[2 * faces[t]], ay = uv[2 * faces[t] + 1], bx = uv[2 * faces[t + 1]],
                    by = uv[2 * faces[t + 1] + 1], cx = uv[2 * faces[t + 2]], cy = uv[2 * faces[t + 2] + 1];
            double area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
            if (!(area != 0) || Double.isNaN(area)) {
                continue;
            }
            int x0 = Math.max(0, (int) Math.floor(Math.min(ax, Math.min(bx, cx))));
            int x1 = Math.min(w - 1, (int) Math.ceil(Math.max(ax, Math.max(bx, cx))));
            int y0 = Math.max(0, (int) Math.floor(Math.min(ay, Math.min(by, cy))));
            int y1 = Math.min(h - 1, (int) Math.ceil(Math.max(ay, Math.max(by, cy))));
            for (int py = y0; py <= y1; py++) {
                for (int px = x0; px <= x1; px++) {
                    double l0 = ((bx - px) * (cy - py) - (by - py) * (cx - px)) / area;
                    double l1 = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) / area;
                    if (l0 >= 0 && l1 >= 0 && 1 - l0 - l1 >= 0) {
                        mask[py * w + px] = true;
                    }
                }
            }
        }
        return mask;
    }

    /** Contour vertex indices of the posed mesh {@code vertices} ([V, 3], camera space), ascending. */
    public int[] vertices(double[] vertices) {
        int nf = faces.length / 3;
        boolean[] front = new boolean[nf];
        for (int f = 0; f < nf; f++) {
            int a = 3 * faces[3 * f], b = 3 * faces[3 * f + 1], c = 3 * faces[3 * f + 2];
            double ux = vertices[b] - vertices[a], uy = vertices[b + 1] - vertices[a + 1],
                    uz = vertices[b + 2] - vertices[a + 2];
            double vx = vertices[c] - vertices[a], vy = vertices[c + 1] - vertices[a + 1],
                    vz = vertices[c + 2] - vertices[a + 2];
            double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
            front[f] = nx * vertices[a] + ny * vertices[a + 1] + nz * vertices[a + 2] < 0;
        }
        java.util.BitSet on = new java.util.BitSet(vertices.length / 3);
        for (int e = 0; e < edges.length; e += 4) {
            if (front[edges[e + 2]] != front[edges[e + 3]]) {
                on.set(edges[e]);
                on.set(edges[e + 1]);
            }
        }
        return on.stream().toArray();
    }
}
