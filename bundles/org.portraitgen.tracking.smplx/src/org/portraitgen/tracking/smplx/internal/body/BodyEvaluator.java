package org.portraitgen.tracking.smplx.internal.body;

import org.portraitgen.tracking.smplx.internal.model.BodyModel;

/**
 * Evaluates a {@link BodyModel} as SMPL-X does: shape and expression blend shapes, joints regressed from the shaped
 * rest mesh, pose-corrective blend shapes driven by (R_j − I) of the non-root joints, linear blend skinning over the
 * kinematic tree, then a global translation. Points (vertices, landmarks, joints) come with analytic Jacobians with
 * respect to {@link BodyParams#flatten()}: [shape | expression | pose (3 per joint) | translation].
 * <p>
 * Pose derivatives use that a rotation of joint k moves every point attached to k's subtree by
 * M_km (x − t_k), where M_km = G_parent(k) (∂R_k/∂θ_m R_kᵀ) G_parent(k)ᵀ is a world-frame skew matrix and t_k the
 * posed joint; the pose-corrective part adds B_i P_i ∂vec(R_k)/∂θ_m with B_i the vertex's blended rotation.
 */
public final class BodyEvaluator {

    private final BodyModel m;
    private final int joints, comps, poseBasis;
    /** [J, 3] joints of the template and [J, 3, K] their blend directions (regressor applied to the bases). */
    private final double[] jointTemplate, jointDirs;
    /** [k][j]: j is k or below it. */
    private final boolean[][] inSubtree;

    public BodyEvaluator(BodyModel model) {
        this.m = model;
        this.joints = model.jointCount;
        this.comps = model.blendCount();
        this.poseBasis = model.poseBasisCount();
        jointTemplate = new double[3 * joints];
        jointDirs = new double[3 * joints * comps];
        for (int j = 0; j < joints; j++) {
            int[] vs = model.regressorVertices[j];
            double[] ws = model.regressorWeights[j];
            for (int n = 0; n < vs.length; n++) {
                for (int c = 0; c < 3; c++) {
                    jointTemplate[3 * j + c] += ws[n] * model.template[3 * vs[n] + c];
                    int src = (3 * vs[n] + c) * comps, dst = (3 * j + c) * comps;
                    for (int k = 0; k < comps; k++) {
                        jointDirs[dst + k] += ws[n] * model.blendDirs[src + k];
                    }
                }
            }
        }
        inSubtree = new boolean[joints][joints];
        for (int j = 0; j < joints; j++) {
            for (int a = j; a >= 0; a = model.parents[a]) {
                inSubtree[a][j] = true;
            }
        }
    }

    public BodyModel model() {
        return m;
    }

    /** The per-parameter-set state points are evaluated from. */
    public final class Posed {
        public final BodyParams params;
        final int nS, nE, n;
        /** [J, 3] shaped rest joints; [J, 9] local rotations; [J, 27] their derivatives. */
        final double[] restJoints, local, dLocal;
        /** [J, 9] global rotations, [J, 3] posed joints (before translation), [J, 3] skinning offsets. */
        final double[] rg, tg, offsets;
        /** [9 (J − 1)] pose feature: R_j − I of joints 1..J−1. */
        final double[] poseFeature;
        /** [J, 3, 9] M_km as 3x3 per m. */
        final double[] generators;
        /** [J, 3, nS + nE] derivatives of posed joints and skinning offsets w.r.t. the used blend coefficients. */
        final double[] dJointPos, dOffsets;
        /** [J] joints whose pose columns Jacobians fill (the rest stay 0), or null for all. */
        final boolean[] poseColumns;

        Posed(BodyParams p, boolean[] poseColumns) {
            params = p;
            this.poseColumns = poseColumns;
            nS = p.shape().length;
            nE = p.expression().length;
            if (nS > m.shapeCount || nE > m.expressionCount || p.pose().length != 3 * joints) {
                throw new IllegalArgumentException("parameters (" + nS + " shape, " + nE + " expression, "
                        + p.pose().length / 3 + " joints) do not fit model " + m.source + " (" + m.shapeCount
                        + ", " + m.expressionCount + ", " + joints + ")");
            }
            n = p.size();
            int nb = nS + nE;
            restJoints = jointTemplate.clone();
            for (int r = 0; r < 3 * joints; r++) {
                restJoints[r] += blend(jointDirs, r * comps);
            }
            local = new double[9 * joints];
            dLocal = new double[27 * joints];
            rg = new double[9 * joints];
            tg = new double[3 * joints];
            offsets = new double[3 * joints];
            generators = new double[27 * joints];
            for (int j = 0; j < joints; j++) {
                Rodrigues.rotation(p.pose(), 3 * j, local, 9 * j, dLocal, 27 * j);
            }
            poseFeature = new double[poseBasis];
            for (int j = 1; j < joints && poseBasis > 0; j++) {
                for (int q = 0; q < 9; q++) {
                    poseFeature[9 * (j - 1) + q] = local[9 * j + q] - (q % 4 == 0 ? 1 : 0);
                }
            }
            double[] tmp = new double[9], tmp2 = new double[9], parentR = new double[9];
            for (int j = 0; j < joints; j++) {
                int par = m.parents[j];
                if (par < 0) {
                    parentR = new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
                    System.arraycopy(local, 0, rg, 9 * j, 9);
                    System.arraycopy(restJoints, 3 * j, tg, 3 * j, 3);
                } else {
                    System.arraycopy(rg, 9 * par, parentR, 0, 9);
                    mulInto(parentR, 0, local, 9 * j, rg, 9 * j);
                    for (int c = 0; c < 3; c++) {
                        double s = 0;
                        for (int d = 0; d < 3; d++) {
                            s += parentR[3 * c + d] * (restJoints[3 * j + d] - restJoints[3 * par + d]);
                        }
                        tg[3 * j + c] = tg[3 * par + c] + s;
                    }
                }
                for (int mm = 0; mm < 3; mm++) { // M = G_p (dR R^T) G_p^T
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) {
                            double s = 0;
                            for (int c = 0; c < 3; c++) {
                                s += dLocal[27 * j + 9 * mm + 3 * a + c] * local[9 * j + 3 * b + c];
                            }
                            tmp[3 * a + b] = s;
                        }
                    }
                    mulInto(parentR, 0, tmp, 0, tmp2, 0);
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) {
                            double s = 0;
                            for (int c = 0; c < 3; c++) {
                                s += tmp2[3 * a + c] * parentR[3 * b + c];
                            }
                            generators[27 * j + 9 * mm + 3 * a + b] = s;
                        }
                    }
                }
                for (int c = 0; c < 3; c++) {
                    offsets[3 * j + c] = tg[3 * j + c] - dot(rg, 9 * j + 3 * c, restJoints, 3 * j);
                }
            }
            dJointPos = new double[3 * joints * nb];
            dOffsets = new double[3 * joints * nb];
            for (int j = 0; j < joints; j++) {
                int par = m.parents[j];
                for (int k = 0; k < nb; k++) {
                    int col = k < nS ? k : m.shapeCount + k - nS;
                    for (int c = 0; c < 3; c++) {
                        double v;
                        if (par < 0) {
                            v = jointDirs[(3 * j + c) * comps + col];
                        } else {
                            v = dJointPos[(3 * par + c) * nb + k];
                            for (int d = 0; d < 3; d++) {
                                v += rg[9 * par + 3 * c + d] * (jointDirs[(3 * j + d) * comps + col]
                                        - jointDirs[(3 * par + d) * comps + col]);
                            }
                        }
                        dJointPos[(3 * j + c) * nb + k] = v;
                    }
                    for (int c = 0; c < 3; c++) {
                        double s = 0;
                        for (int d = 0; d < 3; d++) {
                            s += rg[9 * j + 3 * c + d] * jointDirs[(3 * j + d) * comps + col];
                        }
                        dOffsets[(3 * j + c) * nb + k] = dJointPos[(3 * j + c) * nb + k] - s;
                    }
                }
            }
        }

        /** Σ β_k D[o + k] + Σ ψ_e D[o + S + e] for a row of a [*, K] basis. */
        double blend(double[] dirs, int o) {
            double s = 0;
            for (int k = 0; k < nS; k++) {
                s += params.shape()[k] * dirs[o + k];
            }
            for (int e = 0; e < nE; e++) {
                s += params.expression()[e] * dirs[o + m.shapeCount + e];
            }
            return s;
        }

        double blendRow(int row) {
            double s = 0;
            float[] d = m.blendDirs;
            int o = row * comps;
            for (int k = 0; k < nS; k++) {
                s += params.shape()[k] * d[o + k];
            }
            for (int e = 0; e < nE; e++) {
                s += params.expression()[e] * d[o + m.shapeCount + e];
            }
            return s;
        }

        public int parameterCount() {
            return n;
        }
    }

    public Posed pose(BodyParams p) {
        return new Posed(p, null);
    }

    /**
     * A state whose Jacobians fill only the pose columns of the joints marked in {@code poseColumns} (a fit that
     * moves 4 of SMPL-X's 55 joints skips the rest); the other pose columns are left 0.
     */
    public Posed pose(BodyParams p, boolean[] poseColumns) {
        return new Posed(p, poseColumns);
    }

    /** Every posed vertex, [V, 3]. */
    public double[] vertices(Posed s) {
        double[] out = new double[3 * m.vertexCount];
        double[] x = new double[3];
        for (int v = 0; v < m.vertexCount; v++) {
            vertex(s, v, x, null, 0);
            System.arraycopy(x, 0, out, 3 * v, 3);
        }
        return out;
    }

    /** Posed joints (after translation), [J, 3]. */
    public double[] joints(Posed s) {
        double[] out = new double[3 * joints];
        for (int j = 0; j < joints; j++) {
            for (int c = 0; c < 3; c++) {
                out[3 * j + c] = s.tg[3 * j + c] + s.params.translation()[c];
            }
        }
        return out;
    }

    /**
     * Vertex {@code v} into {@code out}; if {@code jac} is not null, adds {@code weight} times its Jacobian into the
     * row-major [3, n] block {@code jac} (n = parameter count).
     */
    public void vertex(Posed s, int v, double[] out, double[] jac, double weight) {
        double[] vp = new double[3];
        for (int c = 0; c < 3; c++) {
            int row = 3 * v + c;
            double x = m.template[row] + s.blendRow(row);
            if (poseBasis > 0) {
                int o = row * poseBasis;
                float[] pd = m.poseDirs;
                for (int q = 0; q < poseBasis; q++) {
                    x += pd[o + q] * s.poseFeature[q];
                }
            }
            vp[c] = x;
        }
        int[] js = m.skinJoints[v];
        double[] ws = m.skinWeights[v];
        double[] blendR = new double[9];
        double[] x = new double[3];
        for (int n = 0; n < js.length; n++) {
            int j = js[n];
            for (int q = 0; q < 9; q++) {
                blendR[q] += ws[n] * s.rg[9 * j + q];
            }
            for (int c = 0; c < 3; c++) {
                x[c] += ws[n] * s.offsets[3 * j + c];
            }
        }
        for (int c = 0; c < 3; c++) {
            out[c] = x[c] + dot(blendR, 3 * c, vp, 0) + s.params.translation()[c];
        }
        if (jac == null) {
            return;
        }
        int n = s.n, nb = s.nS + s.nE, poseCol = nb;
        // shape and expression
        for (int k = 0; k < nb; k++) {
            int col = k < s.nS ? k : m.shapeCount + k - s.nS;
            double[] d = new double[3];
            for (int c = 0; c < 3; c++) {
                d[c] = m.blendDirs[(3 * v + c) * comps + col];
            }
            for (int c = 0; c < 3; c++) {
                double g = dot(blendR, 3 * c, d, 0);
                for (int q = 0; q < js.length; q++) {
                    g += ws[q] * s.dOffsets[(3 * js[q] + c) * nb + k];
                }
                jac[c * n + k] += weight * g;
            }
        }
        // pose: rigid part per joint k whose subtree holds any of the vertex's joints
        double[] y = new double[3];
        for (int k = 0; k < joints; k++) {
            if (s.poseColumns != null && !s.poseColumns[k]) {
                continue;
            }
            double wsum = 0;
            java.util.Arrays.fill(y, 0);
            for (int q = 0; q < js.length; q++) {
                int j = js[q];
                if (!inSubtree[k][j]) {
                    continue;
                }
                wsum += ws[q];
                for (int c = 0; c < 3; c++) {
                    y[c] += ws[q] * (dot(s.rg, 9 * j + 3 * c, vp, 0) + s.offsets[3 * j + c]);
                }
            }
            boolean corrective = k >= 1 && poseBasis > 0;
            if (wsum == 0 && !corrective) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                y[c] -= wsum * s.tg[3 * k + c];
            }
            for (int mm = 0; mm < 3; mm++) {
                int g = 27 * k + 9 * mm;
                double[] dvp = new double[3];
                if (corrective) {
                    int base = 9 * (k - 1);
                    for (int c = 0; c < 3; c++) {
                        int o = (3 * v + c) * poseBasis + base;
                        double t = 0;
                        for (int q = 0; q < 9; q++) {
                            t += m.poseDirs[o + q] * s.dLocal[g + q];
                        }
                        dvp[c] = t;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    double d = dot(s.generators, g + 3 * c, y, 0) + dot(blendR, 3 * c, dvp, 0);
                    jac[c * n + poseCol + 3 * k + mm] += weight * d;
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            jac[c * n + n - 3 + c] += weight;
        }
    }

    /**
     * Landmark {@code l} of the model's embedding (barycentric point of a face) into {@code out}, with its
     * Jacobian into {@code jac} ([3, n], overwritten) when not null.
     */
    public void landmark(Posed s, int l, double[] out, double[] jac) {
        if (jac != null) {
            java.util.Arrays.fill(jac, 0, 3 * s.n, 0);
        }
        out[0] = out[1] = out[2] = 0;
        double[] x = new double[3];
        int f = m.landmarkFaces[l];
        for (int c = 0; c < 3; c++) {
            double b = m.landmarkBarycentrics[3 * l + c];
            vertex(s, m.faces[3 * f + c], x, jac, b);
            for (int d = 0; d < 3; d++) {
                out[d] += b * x[d];
            }
        }
    }

    /** Posed joint {@code j} (after translation), with its Jacobian ([3, n], overwritten) when not null. */
    public void joint(Posed s, int j, double[] out, double[] jac) {
        for (int c = 0; c < 3; c++) {
            out[c] = s.tg[3 * j + c] + s.params.translation()[c];
        }
        if (jac == null) {
            return;
        }
        int n = s.n, nb = s.nS + s.nE;
        java.util.Arrays.fill(jac, 0, 3 * n, 0);
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < nb; k++) {
                jac[c * n + k] = s.dJointPos[(3 * j + c) * nb + k];
            }
            jac[c * n + n - 3 + c] = 1;
        }
        double[] rel = new double[3];
        for (int k = m.parents[j]; k >= 0; k = m.parents[k]) {
            if (s.poseColumns != null && !s.poseColumns[k]) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                rel[c] = s.tg[3 * j + c] - s.tg[3 * k + c];
            }
            for (int mm = 0; mm < 3; mm++) {
                for (int c = 0; c < 3; c++) {
                    jac[c * n + nb + 3 * k + mm] = dot(s.generators, 27 * k + 9 * mm + 3 * c, rel, 0);
                }
            }
        }
    }

    static double dot(double[] a, int ao, double[] b, int bo) {
        return a[ao] * b[bo] + a[ao + 1] * b[bo + 1] + a[ao + 2] * b[bo + 2];
    }

    /** c = a b, row-major 3x3 at offsets; c must not alias. */
    static void mulInto(double[] a, int ao, double[] b, int bo, double[] c, int co) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[co + 3 * i + j] = a[ao + 3 * i] * b[bo + j] + a[ao + 3 * i + 1] * b[bo + 3 + j]
                        + a[ao + 3 * i + 2] * b[bo + 6 + j];
            }
        }
    }
}
