package org.portraitgen.tracking.smplx.internal.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.portraitgen.tracking.smplx.internal.npy.NpyArray;
import org.portraitgen.tracking.smplx.internal.npy.NpyFormatException;
import org.portraitgen.tracking.smplx.internal.npy.NpzFile;

/**
 * Reads a model in the SMPL family's {@code .npz} layout: {@code v_template} [V,3], {@code shapedirs} [V,3,K],
 * {@code posedirs} [V,3,9(J-1)] or [9(J-1),3V], {@code J_regressor} [J,V], {@code weights} [V,J],
 * {@code kintree_table} [2,J], {@code f} [F,3], and where present the landmark embedding ({@code lmk_faces_idx},
 * {@code lmk_bary_coords}, or {@code lmk_face_idx}/{@code lmk_b_coords}/{@code landmark_indices} as in
 * MediaPipe embeddings) and the UV layout ({@code vt}, {@code ft}). An optional scalar {@code shape_space_dim}
 * says how many of the K components are identity shape.
 */
public final class ModelLoader {

    private ModelLoader() {
    }

    public static BodyModel load(Path file) throws IOException {
        return load(file, null, null);
    }

    /**
     * @param landmarkFile a separate landmark embedding (.npz), or null to use the model file's
     * @param uvFile       a separate UV layout (.npz with vt/ft, or .obj), or null to use the model file's
     */
    public static BodyModel load(Path file, Path landmarkFile, Path uvFile) throws IOException {
        NpzFile npz = NpzFile.read(file);
        String name = file.getFileName().toString();
        NpyArray vt = npz.array("v_template");
        requireShape(vt, -1, 3);
        int v = vt.dim(0);
        NpyArray kin = npz.array("kintree_table");
        requireShape(kin, 2, -1);
        int j = kin.dim(1);
        if (v < 3 || j < 1) {
            throw new NpyFormatException(file + ": a model needs vertices and at least one joint (v_template has " + v
                    + " vertices, kintree_table " + j + " joints)");
        }
        int[] kinValues = kin.toInts();
        int[] parents = Arrays.copyOf(kinValues, j);
        for (int i = 0; i < j; i++) {
            boolean ok = i == 0 ? parents[i] == -1 : parents[i] >= 0 && parents[i] < i;
            if (!ok) {
                throw new NpyFormatException(kin.name() + ": joint " + i + " has parent " + parents[i]
                        + " (the root must have none and every parent must come before its child)");
            }
        }
        ModelKind kind = ModelKind.of(j);
        NpyArray sd = npz.array("shapedirs");
        requireShape(sd, v, 3, -1);
        int k = sd.dim(2);
        int shapeCount = kind.shapeComponents(k);
        if (npz.has("shape_space_dim")) {
            NpyArray ssd = npz.array("shape_space_dim");
            int s = ssd.size() == 1 ? ssd.toInts()[0] : -1;
            if (s < 0 || s > k) {
                throw new NpyFormatException(ssd.name() + ": must be one integer in [0, " + k + "]");
            }
            shapeCount = s;
        }
        float[] poseDirs = null;
        if (npz.has("posedirs")) {
            poseDirs = poseDirs(npz.array("posedirs"), v, j);
        }
        NpyArray reg = npz.array("J_regressor");
        requireShape(reg, j, v);
        int[][] regV = new int[j][];
        double[][] regW = new double[j][];
        sparseRows(reg, regV, regW);
        NpyArray w = npz.array("weights");
        requireShape(w, v, j);
        int[][] skinJ = new int[v][];
        double[][] skinW = new double[v][];
        sparseRows(w, skinJ, skinW);
        int[] faces = indices(npz.array("f"), v, 3);
        // landmark embedding
        NpzFile lmkSource = landmarkFile != null ? NpzFile.read(landmarkFile) : npz;
        int[] lmkFaces = new int[0];
        double[] lmkBary = new double[0];
        int[] lmkMp = new int[0];
        String facesKey = lmkSource.has("lmk_faces_idx") ? "lmk_faces_idx"
                : lmkSource.has("lmk_face_idx") ? "lmk_face_idx" : null;
        if (facesKey != null) {
            NpyArray lf = lmkSource.array(facesKey);
            int l = lf.size();
            lmkFaces = lf.toInts();
            for (int f : lmkFaces) {
                if (f < 0 || f >= faces.length / 3) {
                    throw new NpyFormatException(lf.name() + ": face " + f + " out of range [0, " + faces.length / 3
                            + ")");
                }
            }
            NpyArray lb = lmkSource.array(lmkSource.has("lmk_bary_coords") ? "lmk_bary_coords" : "lmk_b_coords");
            requireShape(lb, l, 3);
            lmkBary = lb.toDoubles();
            if (lmkSource.has("landmark_indices")) {
                NpyArray li = lmkSource.array("landmark_indices");
                lmkMp = li.toInts();
                if (lmkMp.length != l) {
                    throw new NpyFormatException(li.name() + ": " + lmkMp.length + " indices for " + l + " landmarks");
                }
            } else {
                lmkMp = IbugMediaPipe.forLandmarkCount(l, lf.name());
            }
        } else if (landmarkFile != null) {
            throw new NpyFormatException(lmkSource.fileName() + " has no array 'lmk_faces_idx' or 'lmk_face_idx'");
        }
        // UV layout
        float[] uv = null;
        int[] uvFaces = null;
        if (uvFile != null && uvFile.getFileName().toString().endsWith(".obj")) {
            ObjUvs obj = ObjUvs.read(uvFile, faces.length / 3);
            uv = obj.coords();
            uvFaces = obj.faces();
        } else {
            NpzFile uvSource = uvFile != null ? NpzFile.read(uvFile) : npz;
            if (uvSource.has("vt") && uvSource.has("ft")) {
                NpyArray t = uvSource.array("vt");
                requireShape(t, -1, 2);
                uv = t.toFloats();
                uvFaces = indices(uvSource.array("ft"), t.dim(0), 3);
                if (uvFaces.length != faces.length) {
                    throw new NpyFormatException(uvSource.fileName() + ":ft has " + uvFaces.length / 3
                            + " faces but the model has " + faces.length / 3);
                }
            } else if (uvFile != null) {
                throw new NpyFormatException(uvSource.fileName() + " has no arrays 'vt' and 'ft'");
            }
        }
        return new BodyModel(name, kind, v, j, vt.toFloats(), sd.toFloats(), shapeCount, k - shapeCount, poseDirs,
                parents, regV, regW, skinJ, skinW, faces, lmkFaces, lmkBary, lmkMp, uv, uvFaces);
    }

    private static float[] poseDirs(NpyArray pd, int v, int j) throws NpyFormatException {
        int p = 9 * (j - 1);
        if (pd.rank() == 3) {
            requireShape(pd, v, 3, p);
            return pd.toFloats();
        }
        // the smplx package's in-memory layout, [P, 3V]: transpose to [V, 3, P]
        requireShape(pd, p, 3 * v);
        float[] out = new float[3 * v * p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < 3 * v; b++) {
                out[b * p + a] = (float) pd.get(a * 3 * v + b);
            }
        }
        return out;
    }

    private static void sparseRows(NpyArray a, int[][] cols, double[][] vals) {
        int rows = a.dim(0), n = a.dim(1);
        for (int r = 0; r < rows; r++) {
            List<Integer> c = new ArrayList<>();
            List<Double> x = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double value = a.get(r * n + i);
                if (value != 0) {
                    c.add(i);
                    x.add(value);
                }
            }
            cols[r] = c.stream().mapToInt(Integer::intValue).toArray();
            vals[r] = x.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static int[] indices(NpyArray a, int bound, int columns) throws NpyFormatException {
        requireShape(a, -1, columns);
        int[] idx = a.toInts();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= bound) {
                throw new NpyFormatException(a.name() + ": index " + idx[i] + " at element " + i + " is outside [0, "
                        + bound + ")");
            }
        }
        return idx;
    }

    /** Checks rank and each dimension ({@code -1}: any); the error names the array and both shapes. */
    static void requireShape(NpyArray a, int... expected) throws NpyFormatException {
        boolean ok = a.rank() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = expected[i] < 0 || a.dim(i) == expected[i];
        }
        if (!ok) {
            String want = Arrays.toString(Arrays.stream(expected).mapToObj(d -> d < 0 ? "*" : String.valueOf(d))
                    .toArray());
            throw new NpyFormatException(a.name() + " has shape " + Arrays.toString(a.shape()) + ", expected " + want);
        }
    }

    /** True when the file looks like a model (it has a template), for picking files in a folder. */
    static boolean isModel(Path file) {
        try {
            return Files.size(file) > 0 && NpzFile.read(file).has("v_template");
        } catch (IOException e) {
            return false;
        }
    }
}
