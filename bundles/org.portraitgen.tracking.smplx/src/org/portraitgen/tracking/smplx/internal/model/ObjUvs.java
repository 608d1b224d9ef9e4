package org.portraitgen.tracking.smplx.internal.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.portraitgen.tracking.smplx.internal.npy.NpyFormatException;

/**
 * The UV layout of a Wavefront OBJ that shares the model's faces in order ({@code smplx_uv.obj},
 * {@code head_template.obj}): {@code vt} lines and the texture indices of {@code f} lines.
 */
record ObjUvs(float[] coords, int[] faces) {

    static ObjUvs read(Path file, int expectedFaces) throws IOException {
        FloatList vt = new FloatList();
        int[] ft = new int[expectedFaces * 3];
        int face = 0;
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] p = line.strip().split("\\s+");
                try {
                    if (p[0].equals("vt")) {
                        vt.add(Float.parseFloat(p[1]));
                        vt.add(Float.parseFloat(p[2]));
                    } else if (p[0].equals("f")) {
                        if (p.length != 4) {
                            throw new NpyFormatException(file + " line " + lineNo + ": only triangles are supported");
                        }
                        if (face >= expectedFaces) {
                            throw new NpyFormatException(file + ": more faces than the model's " + expectedFaces);
                        }
                        for (int c = 0; c < 3; c++) {
                            String[] idx = p[1 + c].split("/");
                            if (idx.length < 2 || idx[1].isEmpty()) {
                                throw new NpyFormatException(file + " line " + lineNo + ": face without UV indices");
                            }
                            ft[3 * face + c] = Integer.parseInt(idx[1]) - 1;
                        }
                        face++;
                    }
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw new NpyFormatException(file + " line " + lineNo + ": malformed '" + p[0] + "' line", e);
                }
            }
        }
        if (face != expectedFaces) {
            throw new NpyFormatException(file + " has " + face + " faces but the model has " + expectedFaces);
        }
        float[] coords = vt.toArray();
        for (int i : ft) {
            if (i < 0 || i >= coords.length / 2) {
                throw new NpyFormatException(file + ": UV index " + (i + 1) + " outside the " + coords.length / 2
                        + " vt lines");
            }
        }
        return new ObjUvs(coords, ft);
    }

    private static final class FloatList {
        private float[] a = new float[1024];
        private int n;

        void add(float x) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, 2 * n);
            }
            a[n++] = x;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
