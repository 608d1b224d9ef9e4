package org.portraitgen.tracking.tests;

import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;

/** Left/right twins of the canonical mesh's vertices: the vertex nearest to each one mirrored in x. */
final class MeshSymmetry {

    private MeshSymmetry() {
    }

    static int[] twins(CanonicalFaceMesh mesh) {
        float[] p = mesh.positions();
        int n = mesh.vertexCount();
        int[] twin = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.MAX_VALUE;
            for (int j = 0; j < n; j++) {
                double dx = -p[3 * i] - p[3 * j], dy = p[3 * i + 1] - p[3 * j + 1], dz = p[3 * i + 2] - p[3 * j + 2];
                double d = dx * dx + dy * dy + dz * dz;
                if (d < best) {
                    best = d;
                    twin[i] = j;
                }
            }
        }
        return twin;
    }
}
