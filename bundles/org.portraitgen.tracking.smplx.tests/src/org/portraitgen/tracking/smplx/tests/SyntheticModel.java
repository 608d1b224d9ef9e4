package org.portraitgen.tracking.smplx.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.portraitgen.tracking.smplx.internal.npy.NpzWriter;

/**
 * A small head model in the SMPL family's .npz layout: an ellipsoid mesh (y up, face towards +z) with a seam in its
 * UV layout, smooth skinning to a given skeleton, low-frequency shape and expression bases, random pose correctives,
 * a joint regressor over nearby vertices and landmarks on the front of the face.
 */
final class SyntheticModel {
    final int rings, segments;
    final double[] jointPositions;
    final int[] parents;
    final int shapes, expressions, landmarks;
    final long seed;
    double correctiveScale = 0.004;
    /** A given mesh instead of the ellipsoid: [V, 3] template, [F, 3] faces, [V, 2] UVs (v up). */
    private double[] meshTemplate;
    private int[] meshFaces;
    private double[] meshUvs;

    /**
     * A FLAME-like head on a given mesh whose vertices are also its landmarks, in order (so landmark i is the
     * mesh's point i, e.g. MediaPipe's face mesh), with the joints placed relative to its bounding box.
     */
    static SyntheticModel onMesh(double[] template, int[] faces, double[] uvs) {
        double[] lo = { 1e9, 1e9, 1e9 }, hi = { -1e9, -1e9, -1e9 };
        for (int i = 0; i < template.length; i++) {
            lo[i % 3] = Math.min(lo[i % 3], template[i]);
            hi[i % 3] = Math.max(hi[i % 3], template[i]);
        }
        double cx = (lo[0] + hi[0]) / 2, h = hi[1] - lo[1], cz = (lo[2] + hi[2]) / 2;
        double[] joints = { cx, lo[1] - 0.3 * h, cz - 0.3 * h, cx, lo[1] - 0.1 * h, cz - 0.2 * h, cx, lo[1] + 0.25 * h,
                cz, cx + 0.15 * h, lo[1] + 0.6 * h, hi[2], cx - 0.15 * h, lo[1] + 0.6 * h, hi[2] };
        SyntheticModel m = new SyntheticModel(0, 0, joints, new int[] { -1, 0, 1, 1, 1 }, 4, 4, template.length / 3, 7);
        m.meshTemplate = template;
        m.meshFaces = faces;
        m.meshUvs = uvs;
        return m;
    }

    /** FLAME's skeleton: global (neck base), neck, jaw, left eye, right eye. */
    static SyntheticModel flameLike(int rings, int segments, int landmarks) {
        return new SyntheticModel(rings, segments,
                new double[] { 0, -0.02, 0, 0, 0.04, 0, 0, 0.08, 0.02, 0.03, 0.13, 0.06, -0.03, 0.13, 0.06 },
                new int[] { -1, 0, 1, 1, 1 }, 4, 4, landmarks, 7);
    }

    /** A deeper tree with branches (7 joints, so a generic model): every joint's derivative path is exercised. */
    static SyntheticModel branched() {
        return new SyntheticModel(8, 10,
                new double[] { 0, -0.05, 0, 0, 0.0, 0, 0, 0.06, 0.0, 0.05, 0.1, 0.02, -0.05, 0.1, 0.02, 0, 0.16, 0.03,
                        0.07, 0.16, 0.0 },
                new int[] { -1, 0, 1, 2, 2, 1, 3 }, 3, 2, 12, 11);
    }

    /**
     * SMPL-X's sizes for benchmarks: 55 joints in its tree (body, jaw, eyes, fingers), 300 shape and 100 expression
     * components, 105 landmarks, about as many vertices as {@code rings x segments}.
     */
    static SyntheticModel smplxSized(int rings, int segments) {
        int[] parents = new int[55];
        int[] body = { -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 15, 15, 15 };
        System.arraycopy(body, 0, parents, 0, body.length);
        for (int hand = 0; hand < 2; hand++) {
            for (int finger = 0; finger < 5; finger++) {
                int base = 25 + 15 * hand + 3 * finger;
                parents[base] = 20 + hand;
                parents[base + 1] = base;
                parents[base + 2] = base + 1;
            }
        }
        Random rnd = new Random(1);
        double[] jp = new double[3 * 55];
        for (int i = 0; i < jp.length; i += 3) {
            jp[i] = 0.06 * rnd.nextGaussian();
            jp[i + 1] = 0.12 + 0.08 * rnd.nextGaussian();
            jp[i + 2] = 0.05 * rnd.nextGaussian();
        }
        return new SyntheticModel(rings, segments, jp, parents, 300, 100, 105, 13);
    }

    SyntheticModel(int rings, int segments, double[] jointPositions, int[] parents, int shapes, int expressions,
            int landmarks, long seed) {
        this.rings = rings;
        this.segments = segments;
        this.jointPositions = jointPositions;
        this.parents = parents;
        this.shapes = shapes;
        this.expressions = expressions;
        this.landmarks = landmarks;
        this.seed = seed;
    }

    int vertexCount() {
        if (meshTemplate != null) {
            return meshTemplate.length / 3;
        }
        return 2 + (rings - 1) * segments;
    }

    int jointCount() {
        return parents.length;
    }

    double[] template() {
        if (meshTemplate != null) {
            return meshTemplate.clone();
        }
        int v = vertexCount();
        double[] t = new double[3 * v];
        t[1] = 0.12 - 0.11; // bottom pole
        t[3 + 1] = 0.12 + 0.11; // top pole
        int i = 2;
        for (int r = 1; r < rings; r++) {
            double phi = Math.PI * r / rings; // from the bottom
            for (int s = 0; s < segments; s++) {
                double th = 2 * Math.PI * s / segments;
                t[3 * i] = 0.08 * Math.sin(phi) * Math.sin(th);
                t[3 * i + 1] = 0.12 - 0.11 * Math.cos(phi);
                t[3 * i + 2] = 0.09 * Math.sin(phi) * Math.cos(th);
                i++;
            }
        }
        return t;
    }

    private int ringVertex(int r, int s) {
        return 2 + (r - 1) * segments + (s % segments);
    }

    int[] faces() {
        if (meshFaces != null) {
            return meshFaces.clone();
        }
        List<int[]> f = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
            f.add(new int[] { 0, ringVertex(1, s + 1), ringVertex(1, s) });
            f.add(new int[] { 1, ringVertex(rings - 1, s), ringVertex(rings - 1, s + 1) });
            for (int r = 1; r < rings - 1; r++) {
                int a = ringVertex(r, s), b = ringVertex(r, s + 1), c = ringVertex(r + 1, s), d = ringVertex(r + 1, s + 1);
                f.add(new int[] { a, b, d });
                f.add(new int[] { a, d, c });
            }
        }
        return f.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /** UVs: (segment / segments, ring / rings) with the seam column duplicated at u = 1; poles at the centre. */
    double[][] uvLayout(int[] faces) {
        if (meshUvs != null) {
            double[] ft = new double[faces.length];
            for (int i = 0; i < faces.length; i++) {
                ft[i] = faces[i];
            }
            return new double[][] { meshUvs.clone(), ft };
        }
        List<double[]> vt = new ArrayList<>();
        int[][] index = new int[rings + 1][segments + 1];
        for (int r = 0; r <= rings; r++) {
            for (int s = 0; s <= segments; s++) {
                index[r][s] = vt.size();
                vt.add(new double[] { (double) s / segments, (double) r / rings });
            }
        }
        int[] ft = new int[faces.length];
        int k = 0;
        for (int s = 0; s < segments; s++) {
            ft[k++] = index[0][s];
            ft[k++] = index[1][s + 1];
            ft[k++] = index[1][s];
            ft[k++] = index[rings][s];
            ft[k++] = index[rings - 1][s];
            ft[k++] = index[rings - 1][s + 1];
            for (int r = 1; r < rings - 1; r++) {
                ft[k++] = index[r][s];
                ft[k++] = index[r][s + 1];
                ft[k++] = index[r + 1][s + 1];
                ft[k++] = index[r][s];
                ft[k++] = index[r + 1][s + 1];
                ft[k++] = index[r + 1][s];
            }
        }
        double[] flat = new double[2 * vt.size()];
        for (int i = 0; i < vt.size(); i++) {
            flat[2 * i] = vt.get(i)[0];
            flat[2 * i + 1] = vt.get(i)[1];
        }
        double[] fti = new double[ft.length];
        for (int i = 0; i < ft.length; i++) {
            fti[i] = ft[i];
        }
        return new double[][] { flat, fti };
    }

    void write(Path file) throws IOException {
        writer().write(file);
    }

    NpzWriter writer() {
        Random rnd = new Random(seed);
        int v = vertexCount(), j = jointCount();
        double[] t = template();
        int[] faces = faces();
        // skinning: softmax of negative distance to each joint, so every vertex has several influences
        double[] weights = new double[v * j];
        for (int i = 0; i < v; i++) {
            double sum = 0;
            for (int b = 0; b < j; b++) {
                double d2 = 0;
                for (int c = 0; c < 3; c++) {
                    d2 += Math.pow(t[3 * i + c] - jointPositions[3 * b + c], 2);
                }
                double w = Math.exp(-d2 / 0.002);
                weights[i * j + b] = w < 1e-4 ? 0 : w;
                sum += weights[i * j + b];
            }
            if (sum == 0) {
                weights[i * j + nearestJoint(t, i)] = 1;
                sum = 1;
            }
            for (int b = 0; b < j; b++) {
                weights[i * j + b] /= sum;
            }
        }
        // regressor: each joint is a weighted mean of its 4 nearest vertices
        double[] reg = new double[j * v];
        for (int b = 0; b < j; b++) {
            final int joint = b;
            Integer[] order = new Integer[v];
            for (int i = 0; i < v; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> dist2(t, i, jointPositions, joint)));
            for (int n = 0; n < 4; n++) {
                reg[b * v + order[n]] = (4 - n) / 10.0;
            }
        }
        int k = shapes + expressions;
        double[] dirs = new double[v * 3 * k];
        for (int c = 0; c < k; c++) {
            double fx = 10 + 20 * rnd.nextDouble(), fy = 10 + 20 * rnd.nextDouble(), ph = 6 * rnd.nextDouble();
            double amp = c < shapes ? 0.006 : 0.004;
            int axis = c % 3;
            for (int i = 0; i < v; i++) {
                double x = t[3 * i], y = t[3 * i + 1], z = t[3 * i + 2];
                double front = c < shapes ? 1 : Math.max(0, z / 0.09); // expressions live on the face
                dirs[(3 * i + axis) * k + c] = amp * front * Math.sin(fx * x + ph) * Math.cos(fy * y + z * 7);
            }
        }
        int p = 9 * (j - 1);
        float[] pd = new float[v * 3 * p];
        for (int i = 0; i < pd.length; i++) {
            pd[i] = (float) (correctiveScale * rnd.nextGaussian());
        }
        double[] kin = new double[2 * j];
        long[] kinL = new long[2 * j];
        for (int b = 0; b < j; b++) {
            kinL[b] = parents[b] < 0 ? 4294967295L : parents[b];
            kinL[j + b] = b;
        }
        // landmarks on front faces (z > 0.03 at all corners)
        List<Integer> front = new ArrayList<>();
        for (int f = 0; f < faces.length / 3; f++) {
            boolean ok = true;
            for (int c = 0; c < 3; c++) {
                ok &= t[3 * faces[3 * f + c] + 2] > 0.03;
            }
            if (ok) {
                front.add(f);
            }
        }
        java.util.Collections.shuffle(front, rnd);
        if (front.isEmpty()) {
            front.add(0);
        }
        long[] lf = new long[landmarks];
        double[] lb = new double[3 * landmarks];
        long[] li = new long[landmarks];
        for (int l = 0; l < landmarks && meshTemplate != null; l++) { // landmark l is vertex l
            for (int f = 0; f < faces.length / 3 && lf[l] == 0 && lb[3 * l] + lb[3 * l + 1] + lb[3 * l + 2] == 0; f++) {
                for (int c = 0; c < 3; c++) {
                    if (faces[3 * f + c] == l) {
                        lf[l] = f;
                        lb[3 * l + c] = 1;
                    }
                }
            }
            li[l] = l;
        }
        for (int l = 0; l < landmarks && meshTemplate == null; l++) {
            lf[l] = front.get(l % front.size());
            double a = rnd.nextDouble(), b = rnd.nextDouble() * (1 - a);
            lb[3 * l] = a;
            lb[3 * l + 1] = b;
            lb[3 * l + 2] = 1 - a - b;
            li[l] = l;
        }
        double[][] uv = uvLayout(faces);
        long[] ft = new long[uv[1].length];
        for (int i = 0; i < ft.length; i++) {
            ft[i] = (long) uv[1][i];
        }
        long[] fl = new long[faces.length];
        for (int i = 0; i < faces.length; i++) {
            fl[i] = faces[i];
        }
        float[] sd32 = new float[dirs.length];
        for (int i = 0; i < dirs.length; i++) {
            sd32[i] = (float) dirs[i];
        }
        return new NpzWriter().f8("v_template", t, v, 3).f4("shapedirs", sd32, v, 3, k)
                .f4("posedirs", pd, v, 3, p).f8("J_regressor", reg, j, v).f8("weights", weights, v, j)
                .raw("kintree_table", "<u4", false, new int[] { 2, j }, u4(kinL)).i8("f", fl, faces.length / 3, 3)
                .i8("lmk_faces_idx", lf, landmarks).f8("lmk_bary_coords", lb, landmarks, 3)
                .i8("landmark_indices", li, landmarks).i8("shape_space_dim", new long[] { shapes })
                .f8("vt", uv[0], uv[0].length / 2, 2).i8("ft", ft, ft.length / 3, 3);
    }

    private int nearestJoint(double[] t, int i) {
        int best = 0;
        for (int b = 1; b < jointCount(); b++) {
            if (dist2(t, i, jointPositions, b) < dist2(t, i, jointPositions, best)) {
                best = b;
            }
        }
        return best;
    }

    private static double dist2(double[] t, int i, double[] jp, int b) {
        double d = 0;
        for (int c = 0; c < 3; c++) {
            d += Math.pow(t[3 * i + c] - jp[3 * b + c], 2);
        }
        return d;
    }

    private static byte[] u4(long[] values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long x : values) {
            b.putInt((int) x);
        }
        return b.array();
    }
}
