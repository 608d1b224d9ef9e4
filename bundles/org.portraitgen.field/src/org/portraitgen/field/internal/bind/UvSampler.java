package org.portraitgen.field.internal.bind;

import java.util.Arrays;

/**
 * Places one Gaussian per texel of a square UV grid, as PortraitGen places one per texel of the SMPL-X UV map: each
 * texel centre inside a triangle's UV footprint gives that triangle a Gaussian at the texel's barycentric
 * coordinates. A texel covered by several triangles (shared edges, overlaps) goes to the lowest-numbered one, so
 * the result is deterministic. Triangles with no UV area get none.
 */
public final class UvSampler {
    private UvSampler() {
    }

    public static TriangleBinding sample(int vertexCount, int[] triangles, float[] uvs, int resolution) {
        if (uvs.length != 2 * vertexCount) {
            throw new IllegalArgumentException("rig has " + uvs.length / 2 + " UVs for " + vertexCount + " vertices");
        }
        boolean[] taken = new boolean[resolution * resolution];
        int[] tri = new int[16];
        double[] bary = new double[48];
        int n = 0;
        for (int t = 0; t < triangles.length / 3; t++) {
            double ua = uvs[2 * triangles[3 * t]];
            double va = uvs[2 * triangles[3 * t] + 1];
            double ub = uvs[2 * triangles[3 * t + 1]];
            double vb = uvs[2 * triangles[3 * t + 1] + 1];
            double uc = uvs[2 * triangles[3 * t + 2]];
            double vc = uvs[2 * triangles[3 * t + 2] + 1];
            double det = (ub - ua) * (vc - va) - (uc - ua) * (vb - va);
            if (Math.abs(det) < 1e-14) {
                continue;
            }
            int x0 = Math.max(0, (int) Math.floor(Math.min(ua, Math.min(ub, uc)) * resolution - 0.5));
            int x1 = Math.min(resolution - 1, (int) Math.ceil(Math.max(ua, Math.max(ub, uc)) * resolution - 0.5));
            int y0 = Math.max(0, (int) Math.floor(Math.min(va, Math.min(vb, vc)) * resolution - 0.5));
            int y1 = Math.min(resolution - 1, (int) Math.ceil(Math.max(va, Math.max(vb, vc)) * resolution - 0.5));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    if (taken[y * resolution + x]) {
                        continue;
                    }
                    double u = (x + 0.5) / resolution;
                    double v = (y + 0.5) / resolution;
                    double b1 = ((u - ua) * (vc - va) - (uc - ua) * (v - va)) / det;
                    double b2 = ((ub - ua) * (v - va) - (u - ua) * (vb - va)) / det;
                    double b0 = 1 - b1 - b2;
                    if (b0 < 0 || b1 < 0 || b2 < 0) {
                        continue;
                    }
                    taken[y * resolution + x] = true;
                    if (n == tri.length) {
                        tri = Arrays.copyOf(tri, 2 * n);
                        bary = Arrays.copyOf(bary, 6 * n);
                    }
                    tri[n] = t;
                    bary[3 * n] = b0;
                    bary[3 * n + 1] = b1;
                    bary[3 * n + 2] = b2;
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no texel of a " + resolution + "² UV grid falls inside the rig's"
                    + " triangles: raise the density or check the UVs");
        }
        return new TriangleBinding(vertexCount, triangles, Arrays.copyOf(tri, n), Arrays.copyOf(bary, 3 * n));
    }
}
