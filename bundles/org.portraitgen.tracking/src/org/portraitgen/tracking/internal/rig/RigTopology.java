package org.portraitgen.tracking.internal.rig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;

/**
 * The rig's fixed triangles and UVs: the canonical face mesh (vertices 0..467, its holes at the eyes and mouth
 * closed by fans so the face has no gaps), then {@link #RINGS} rings of shell vertices, one per vertex of the face's
 * outer boundary, reaching out over hair, ears, neck and shoulders. UVs: the face in the centre square
 * [0.25, 0.75]², each ring further out along the same directions.
 */
public final class RigTopology {

    public static final int RINGS = 3;
    private final int faceVertices;
    private final int[] boundary;
    private final int[] triangles;
    private final float[] uvs;

    public RigTopology(CanonicalFaceMesh mesh) {
        faceVertices = mesh.vertexCount();
        List<int[]> loops = boundaryLoops(mesh.triangles());
        int[] outer = loops.stream().max((a, b) -> Integer.compare(a.length, b.length)).orElseThrow();
        boundary = outer;
        List<Integer> tris = new ArrayList<>();
        for (int t : mesh.triangles()) {
            tris.add(t);
        }
        for (int[] hole : loops) {
            if (hole != outer) {
                for (int i = 1; i + 1 < hole.length; i++) {
                    tris.add(hole[0]);
                    tris.add(hole[i + 1]);
                    tris.add(hole[i]);
                }
            }
        }
        int l = boundary.length;
        for (int ring = 1; ring <= RINGS; ring++) {
            for (int i = 0; i < l; i++) {
                int j = (i + 1) % l;
                int a = ringVertex(ring - 1, i), b = ringVertex(ring - 1, j);
                int c = ringVertex(ring, j), d = ringVertex(ring, i);
                tris.add(a);
                tris.add(b);
                tris.add(c);
                tris.add(a);
                tris.add(c);
                tris.add(d);
            }
        }
        triangles = tris.stream().mapToInt(Integer::intValue).toArray();
        uvs = layoutUvs(mesh.uvs());
    }

    public int vertexCount() {
        return faceVertices + RINGS * boundary.length;
    }

    public int faceVertexCount() {
        return faceVertices;
    }

    /** The face's outer boundary, a closed loop of face vertex indices. */
    public int[] boundary() {
        return boundary.clone();
    }

    /** Vertex index of the {@code i}-th boundary direction on ring {@code ring} (ring 0 = the face boundary). */
    public int ringVertex(int ring, int i) {
        return ring == 0 ? boundary[i] : faceVertices + (ring - 1) * boundary.length + i;
    }

    public int[] triangles() {
        return triangles.clone();
    }

    public float[] uvs() {
        return uvs.clone();
    }

    private float[] layoutUvs(float[] faceUvs) {
        float[] out = new float[2 * vertexCount()];
        for (int i = 0; i < faceVertices; i++) {
            out[2 * i] = 0.25f + 0.5f * faceUvs[2 * i];
            out[2 * i + 1] = 0.25f + 0.5f * faceUvs[2 * i + 1];
        }
        for (int ring = 1; ring <= RINGS; ring++) {
            float grow = 1 + 0.95f * ring / RINGS;
            for (int i = 0; i < boundary.length; i++) {
                int b = boundary[i], v = ringVertex(ring, i);
                out[2 * v] = clamp(0.5f + (out[2 * b] - 0.5f) * grow);
                out[2 * v + 1] = clamp(0.5f + (out[2 * b + 1] - 0.5f) * grow);
            }
        }
        return out;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /** Closed loops of edges used by exactly one triangle, each in the direction the triangles run along them. */
    static List<int[]> boundaryLoops(int[] tris) {
        Map<Long, Integer> edgeUse = new HashMap<>();
        for (int t = 0; t < tris.length; t += 3) {
            for (int e = 0; e < 3; e++) {
                int a = tris[t + e], b = tris[t + (e + 1) % 3];
                edgeUse.merge(key(Math.min(a, b), Math.max(a, b)), 1, Integer::sum);
            }
        }
        Map<Integer, Integer> next = new HashMap<>();
        for (int t = 0; t < tris.length; t += 3) {
            for (int e = 0; e < 3; e++) {
                int a = tris[t + e], b = tris[t + (e + 1) % 3];
                if (edgeUse.get(key(Math.min(a, b), Math.max(a, b))) == 1) {
                    next.put(a, b);
                }
            }
        }
        List<int[]> loops = new ArrayList<>();
        while (!next.isEmpty()) {
            int start = next.keySet().iterator().next();
            List<Integer> loop = new ArrayList<>();
            Integer v = start;
            while (v != null && !(v == start && !loop.isEmpty())) {
                loop.add(v);
                v = next.remove(v);
            }
            loops.add(loop.stream().mapToInt(Integer::intValue).toArray());
        }
        return loops;
    }

    private static long key(int a, int b) {
        return (long) a << 32 | b;
    }
}
