package org.portraitgen.tracking.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;

/**
 * A tracking folder read into memory as a {@link Rig}. Vertices are in camera space, so each frame's camera has the
 * identity rotation and zero translation.
 */
public final class TrackingRig implements Rig {

    private final int[] triangles;
    private final float[] uvs;
    private final float[] vertices;
    private final int vertexCount;
    private final RigState[] states;

    private TrackingRig(int[] triangles, float[] uvs, float[] vertices, int vertexCount, RigState[] states) {
        this.triangles = triangles;
        this.uvs = uvs;
        this.vertices = vertices;
        this.vertexCount = vertexCount;
        this.states = states;
    }

    @SuppressWarnings("unchecked")
    public static TrackingRig read(Path dir) throws IOException {
        Map<String, Object> json = TrackingFile.readJson(dir);
        int vn = num(dir, json, "vertexCount").intValue(), tn = num(dir, json, "triangleCount").intValue();
        int frames = num(dir, json, "frameCount").intValue();
        if (vn < 0 || tn < 0 || frames < 0) {
            throw new IOException("tracking.json in " + dir + ": negative vertex, triangle or frame count");
        }
        try {
            return read(dir, json, vn, tn, frames);
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException | IllegalArgumentException e) {
            // "intrinsics", "frames" or an expression of the wrong JSON type, or fewer frames than frameCount
            throw new IOException("tracking.json in " + dir + " is malformed: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static TrackingRig read(Path dir, Map<String, Object> json, int vn, int tn, int frames)
            throws IOException {
        ByteBuffer topo = TrackingFile.read(dir, TrackingFile.TOPOLOGY, (long) tn * 12 + (long) vn * 8);
        int[] tris = new int[tn * 3];
        topo.asIntBuffer().get(tris);
        for (int i = 0; i < tris.length; i++) {
            if (tris[i] < 0 || tris[i] >= vn) {
                throw new IOException(TrackingFile.TOPOLOGY + " in " + dir + ": triangle " + i / 3 + " names vertex "
                        + tris[i] + ", but the rig has " + vn + " vertices");
            }
        }
        float[] uvs = new float[vn * 2];
        topo.position(tn * 12);
        topo.slice().order(topo.order()).asFloatBuffer().get(uvs);
        // read (and size-check) the file before allocating: frames * vn * 3 can overflow an int
        ByteBuffer vertexBytes = TrackingFile.read(dir, TrackingFile.VERTICES, (long) frames * vn * 3 * 4);
        float[] verts = new float[vertexBytes.remaining() / 4];
        vertexBytes.asFloatBuffer().get(verts);
        Map<String, Object> in = (Map<String, Object>) json.get("intrinsics");
        List<Map<String, Object>> fr = (List<Map<String, Object>>) json.get("frames");
        int w = num(dir, json, "width").intValue(), h = num(dir, json, "height").intValue();
        Camera camera = new Camera(w, h, num(dir, in, "fx").doubleValue(), num(dir, in, "fy").doubleValue(),
                num(dir, in, "cx").doubleValue(), num(dir, in, "cy").doubleValue(),
                new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, new double[3]);
        RigState[] states = new RigState[frames];
        for (int f = 0; f < frames; f++) {
            List<Number> e = (List<Number>) fr.get(f).get("expression");
            float[] expr = new float[e.size()];
            for (int i = 0; i < expr.length; i++) {
                expr[i] = e.get(i).floatValue();
            }
            float[] v = new float[vn * 3];
            System.arraycopy(verts, f * vn * 3, v, 0, v.length);
            boolean tracked = Boolean.TRUE.equals(fr.get(f).get("tracked"));
            if (tracked) { // rendering and binding project these: a NaN would poison a whole training run
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        throw new IOException(TrackingFile.VERTICES + " in " + dir + ": tracked frame " + f
                                + " has a non-finite coordinate at vertex " + i / 3);
                    }
                }
            }
            states[f] = new RigState(f, camera, v, expr, tracked);
        }
        return new TrackingRig(tris, uvs, verts, vn, states);
    }

    private static Number num(Path dir, Map<String, Object> m, String key) throws IOException {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IOException("tracking.json in " + dir + ": '" + key + "' is missing or not a number");
        }
        return n;
    }

    @Override
    public int vertexCount() {
        return vertexCount;
    }

    @Override
    public int[] triangles() {
        return triangles.clone();
    }

    @Override
    public float[] uvs() {
        return uvs.clone();
    }

    @Override
    public int frameCount() {
        return states.length;
    }

    @Override
    public RigState state(int frame) {
        RigState s = states[frame];
        return new RigState(s.frame(), s.camera(), s.vertices().clone(), s.expression().clone(), s.tracked());
    }
}
