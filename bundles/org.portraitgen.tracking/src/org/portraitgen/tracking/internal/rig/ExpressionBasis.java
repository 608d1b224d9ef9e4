package org.portraitgen.tracking.internal.rig;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.PCA;
import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;

/**
 * Per-frame expression descriptors: each frame's 3D landmarks are aligned to the canonical mesh by a weighted
 * similarity (Umeyama) on the rigid points, which removes head pose and distance; what remains is expression (and the
 * person's shape, which the clip mean absorbs). A PCA over the clip's frames gives a few coefficients per frame,
 * comparable between frames of one clip.
 */
public final class ExpressionBasis {

    private ExpressionBasis() {
    }

    /** @param landmarks per frame x,y,z per point (image pixels); returns {@code components} values per frame */
    public static float[][] describe(float[][] landmarks, CanonicalFaceMesh mesh, int components) {
        int n = landmarks.length, dims = mesh.positions().length;
        float[] rows = new float[n * dims];
        for (int f = 0; f < n; f++) {
            float[] aligned = align(landmarks[f], mesh);
            System.arraycopy(aligned, 0, rows, f * dims, dims);
        }
        int k = Math.max(1, Math.min(components, n - 1));
        float[][] out = new float[n][components];
        if (n < 2) {
            return out;
        }
        try (Mat data = new Mat(n, dims, CV_32F); Mat mean = new Mat()) {
            new FloatPointer(data.data()).put(rows);
            try (PCA pca = new PCA(data, mean, 0 /* DATA_AS_ROW */, k); Mat proj = pca.project(data)) {
                float[] p = new float[n * k];
                new FloatPointer(proj.data()).get(p);
                for (int f = 0; f < n; f++) {
                    System.arraycopy(p, f * k, out[f], 0, k);
                }
            }
        }
        return out;
    }

    /** The landmarks mapped onto the canonical mesh's frame and scale (cm). */
    static float[] align(float[] pts, CanonicalFaceMesh mesh) {
        float[] w = mesh.weights(), c = mesh.positions();
        double sw = 0;
        double[] ms = new double[3], mt = new double[3];
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                sw += w[i];
                for (int d = 0; d < 3; d++) {
                    ms[d] += w[i] * pts[3 * i + d];
                    mt[d] += w[i] * c[3 * i + d];
                }
            }
        }
        for (int d = 0; d < 3; d++) {
            ms[d] /= sw;
            mt[d] /= sw;
        }
        double[] cov = new double[9];
        double varS = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                for (int a = 0; a < 3; a++) {
                    double s = pts[3 * i + a] - ms[a];
                    varS += w[i] * s * s;
                    for (int b = 0; b < 3; b++) {
                        cov[3 * b + a] += w[i] * (c[3 * i + b] - mt[b]) * s;
                    }
                }
            }
        }
        double[] rot = new double[9];
        double scale;
        try (Mat m = new Mat(3, 3, CV_64F); Mat sv = new Mat(); Mat u = new Mat(); Mat vt = new Mat()) {
            new DoublePointer(m.data()).put(cov);
            opencv_core.SVDecomp(m, sv, u, vt);
            double[] uu = new double[9], vv = new double[9], s = new double[3];
            new DoublePointer(u.data()).get(uu);
            new DoublePointer(vt.data()).get(vv);
            new DoublePointer(sv.data()).get(s);
            double det = det(uu) * det(vv);
            double[] dd = { 1, 1, det < 0 ? -1 : 1 };
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    double sum = 0;
                    for (int k = 0; k < 3; k++) {
                        sum += uu[3 * a + k] * dd[k] * vv[3 * k + b];
                    }
                    rot[3 * a + b] = sum;
                }
            }
            scale = (s[0] * dd[0] + s[1] * dd[1] + s[2] * dd[2]) / varS;
        }
        float[] out = new float[pts.length];
        for (int i = 0; i < pts.length / 3; i++) {
            for (int a = 0; a < 3; a++) {
                double sum = 0;
                for (int b = 0; b < 3; b++) {
                    sum += rot[3 * a + b] * (pts[3 * i + b] - ms[b]);
                }
                out[3 * i + a] = (float) (scale * sum + mt[a]);
            }
        }
        return out;
    }

    private static double det(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
                + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }
}
