package org.portraitgen.field.internal.bind;

import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.Quaternions;

/**
 * Gaussians bound to rig triangles (GaussianAvatars): each has a triangle and barycentric coordinates; its learnable
 * parameters live in the triangle's frame. For a posed mesh:
 * <pre>
 * mean     = Σ b_j v_j + k R offset        (offset in triangle units, stored in local.means)
 * logScale = log k + local logScale
 * quat     = q_triangle ⊗ q_local
 * </pre>
 * Opacity and features pass through. Vertex positions are inputs (fixed per frame), not learned.
 */
public final class TriangleBinding {
    public final int vertexCount;
    /** [T, 3] vertex indices. */
    public final int[] triangles;
    /** [N] triangle of each Gaussian. */
    public final int[] triangleOf;
    /** [N, 3] barycentric coordinates in that triangle. */
    public final double[] barycentrics;

    public TriangleBinding(int vertexCount, int[] triangles, int[] triangleOf, double[] barycentrics) {
        if (barycentrics.length != 3 * triangleOf.length) {
            throw new IllegalArgumentException("binding: " + triangleOf.length + " Gaussians but "
                    + barycentrics.length / 3 + " barycentric triples");
        }
        for (int t : triangleOf) {
            if (t < 0 || 3L * t >= triangles.length) {
                throw new IllegalArgumentException("binding refers to triangle " + t + " of " + triangles.length / 3);
            }
        }
        for (int v : triangles) {
            if (v < 0 || v >= vertexCount) {
                throw new IllegalArgumentException("triangle refers to vertex " + v + " of " + vertexCount);
            }
        }
        this.vertexCount = vertexCount;
        this.triangles = triangles.clone();
        this.triangleOf = triangleOf.clone();
        this.barycentrics = barycentrics.clone();
    }

    public int count() {
        return triangleOf.length;
    }

    /** World (camera) space Gaussians for one posed mesh. */
    public Gaussians toWorld(Gaussians local, float[] vertices, TriangleFrames f) {
        Gaussians w = new Gaussians(local.count, local.channels);
        double[] q = new double[4];
        for (int i = 0; i < local.count; i++) {
            int t = triangleOf[i];
            double k = f.scales[t];
            for (int d = 0; d < 3; d++) {
                double p = 0;
                for (int j = 0; j < 3; j++) {
                    p += barycentrics[3 * i + j] * vertices[3 * triangles[3 * t + j] + d];
                }
                double off = 0;
                for (int e = 0; e < 3; e++) {
                    off += f.rotations[9 * t + 3 * d + e] * local.means[3 * i + e];
                }
                w.means[3 * i + d] = p + k * off;
                w.logScales[3 * i + d] = Math.log(k) + local.logScales[3 * i + d];
            }
            System.arraycopy(f.quats, 4 * t, q, 0, 4);
            Quaternions.multiply(q, local.quats[4 * i], local.quats[4 * i + 1], local.quats[4 * i + 2],
                    local.quats[4 * i + 3], w.quats, 4 * i);
        }
        System.arraycopy(local.opacityLogits, 0, w.opacityLogits, 0, local.count);
        System.arraycopy(local.features, 0, w.features, 0, local.features.length);
        return w;
    }

    /** Adds the gradient w.r.t. the local parameters, given the gradient w.r.t. the world Gaussians. */
    public void backward(Gaussians vWorld, TriangleFrames f, Gaussians vLocal) {
        double[] q = new double[4];
        for (int i = 0; i < vWorld.count; i++) {
            int t = triangleOf[i];
            double k = f.scales[t];
            for (int e = 0; e < 3; e++) {
                double s = 0;
                for (int d = 0; d < 3; d++) {
                    s += f.rotations[9 * t + 3 * d + e] * vWorld.means[3 * i + d];
                }
                vLocal.means[3 * i + e] += k * s;
                vLocal.logScales[3 * i + e] += vWorld.logScales[3 * i + e];
            }
            System.arraycopy(f.quats, 4 * t, q, 0, 4);
            Quaternions.multiplyBackwardRight(q, vWorld.quats, 4 * i, vLocal.quats, 4 * i);
            vLocal.opacityLogits[i] += vWorld.opacityLogits[i];
        }
        for (int i = 0; i < vWorld.features.length; i++) {
            vLocal.features[i] += vWorld.features[i];
        }
    }
}
