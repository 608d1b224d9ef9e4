package org.portraitgen.tracking.smplx.internal.io;

import java.util.HashMap;
import java.util.Map;

import org.portraitgen.tracking.smplx.internal.model.BodyModel;

/**
 * The model's triangles with one UV per vertex, as the {@code Rig} contract has it: a model vertex whose faces use
 * several texture coordinates (a UV seam) becomes one rig vertex per coordinate, all at the same position. UVs are
 * flipped to v-down. A model without a UV layout gets a cylindrical one around its template's vertical axis.
 *
 * @param source    [R] model vertex of each rig vertex
 * @param triangles [F, 3] rig vertex indices
 * @param uvs       [R, 2] u, v (v down) in [0, 1]
 */
public record RigTopology(int[] source, int[] triangles, float[] uvs, boolean cylindrical) {

    public static RigTopology of(BodyModel m) {
        if (m.uvCoords == null) {
            return cylindrical(m);
        }
        Map<Long, Integer> index = new HashMap<>();
        int[] tris = new int[m.faces.length];
        int[] src = new int[m.faces.length];
        float[] uv = new float[2 * m.faces.length];
        int count = 0;
        for (int i = 0; i < m.faces.length; i++) {
            int v = m.faces[i], t = m.uvFaces[i];
            long key = ((long) v << 32) | t;
            Integer r = index.get(key);
            if (r == null) {
                r = count++;
                index.put(key, r);
                src[r] = v;
                uv[2 * r] = clamp(m.uvCoords[2 * t]);
                uv[2 * r + 1] = clamp(1 - m.uvCoords[2 * t + 1]);
            }
            tris[i] = r;
        }
        return new RigTopology(java.util.Arrays.copyOf(src, count), tris, java.util.Arrays.copyOf(uv, 2 * count),
                false);
    }

    private static RigTopology cylindrical(BodyModel m) {
        int v = m.vertexCount;
        int[] src = new int[v];
        float[] uv = new float[2 * v];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            lo = Math.min(lo, m.template[3 * i + 1]);
            hi = Math.max(hi, m.template[3 * i + 1]);
        }
        for (int i = 0; i < v; i++) {
            src[i] = i;
            double angle = Math.atan2(m.template[3 * i], m.template[3 * i + 2]);
            uv[2 * i] = clamp((float) (0.5 + angle / (2 * Math.PI)));
            uv[2 * i + 1] = clamp((float) ((hi - m.template[3 * i + 1]) / Math.max(1e-9, hi - lo)));
        }
        return new RigTopology(src, m.faces.clone(), uv, true);
    }

    public int vertexCount() {
        return source.length;
    }

    /** Rig vertices (x, y, z each) from model vertices, scaled (metres to the rig's centimetres). */
    public float[] vertices(double[] modelVertices, double scale) {
        float[] out = new float[3 * source.length];
        for (int r = 0; r < source.length; r++) {
            for (int c = 0; c < 3; c++) {
                out[3 * r + c] = (float) (scale * modelVertices[3 * source[r] + c]);
            }
        }
        return out;
    }

    private static float clamp(float x) {
        return Math.max(0f, Math.min(1f, x));
    }
}
