package org.portraitgen.field.internal.cnn;

import org.portraitgen.field.internal.Workers;

/**
 * A 3x3 convolution (stride 1, zero padding 1, bias, optional ReLU) by Winograd's minimal filtering F(m x m, 3 x 3),
 * m = 2 or 4 (Lavin and Gray 2015): (m + 2)² multiplies per m² outputs and channel pair instead of 9 m², i.e. 2.25x
 * (m = 2) or 4x (m = 4) fewer. Images are in the {@link PhaseImage} layout so that every transform reads and writes
 * consecutive tiles contiguously.
 *
 * <p>Fused and cache-blocked: a work item is a band of tile rows; it transforms its input tiles for all input
 * channels, multiplies per transform element ((m + 2)² products [Cout x Cin] x [Cin x tiles] with pre-transformed
 * weights) and transforms the products back, adding bias and ReLU, without leaving the worker's scratch buffers.
 *
 * <p>Written for C2's auto-vectoriser, which (JDK 25) only vectorises a loop when every store is indexed by the loop
 * variable itself; loads may be offset. So every inner loop runs over tiles, stores at index {@code t}, and keeps
 * one row per (element, channel) as its own array. The products use {@link Math#fma} four input channels at a time
 * into four output rows (16 FMAs per loaded vector pair), which C2 turns into AVX-512 vfmadd.
 */
public final class WinogradConv {
    public final int m;
    public final int n;
    public final int inChannels;
    public final int outChannels;
    private final int cinP;
    private final int coutP;
    /** Per element e: the transformed weights [ci][co] (ci < cinP, co < coutP; zero where padded). */
    private final float[][] u;
    private final float[] bias;
    /** Tiles per work item, rounded to whole tile rows. */
    private final int tilesPerBand;
    private final ThreadLocal<Scratch> scratch = new ThreadLocal<>();

    /** Scratch of one worker: rows for the transformed inputs, the products and the transforms' intermediates. */
    private static final class Scratch {
        final int tiles;
        final float[][] v;
        final float[][] prod;
        final float[][] tmp;

        Scratch(int tiles, int elements, int cinP, int coutP, int n) {
            this.tiles = tiles;
            v = new float[elements * cinP][tiles];
            prod = new float[elements * coutP][tiles];
            // the input transform's n x n intermediate rows, or the output transform's n x m
            tmp = new float[n * n][tiles];
        }
    }

    /**
     * @param layer    a 3x3 layer; its weights are transformed now (later changes to the layer are not seen)
     * @param m        output tile size, 2 or 4
     * @param tilesPerBand tiles per work item (the block held in cache), rounded to whole tile rows
     */
    public WinogradConv(Conv2d layer, int m, int tilesPerBand) {
        if (layer.kernel != 3) {
            throw new IllegalArgumentException("Winograd needs a 3x3 layer, got " + layer.kernel + "x" + layer.kernel);
        }
        if (m != 2 && m != 4) {
            throw new IllegalArgumentException("Winograd tile size must be 2 or 4: " + m);
        }
        if (tilesPerBand < 1) {
            throw new IllegalArgumentException("tilesPerBand must be >= 1: " + tilesPerBand);
        }
        this.m = m;
        this.n = m + 2;
        this.tilesPerBand = tilesPerBand;
        inChannels = layer.inChannels;
        outChannels = layer.outChannels;
        cinP = (inChannels + 3) / 4 * 4;
        coutP = (outChannels + 3) / 4 * 4;
        bias = new float[coutP];
        System.arraycopy(layer.bias, 0, bias, 0, outChannels);
        u = transformWeights(layer.weights, m, inChannels, outChannels, cinP, coutP);
    }

    /** G g Gᵀ for every channel pair, in double, as [e][ci * coutP + co]. */
    static float[][] transformWeights(float[] weights, int m, int cin, int cout, int cinP, int coutP) {
        double[][] g = m == 4 ? new double[][] {{1 / 4d, 0, 0}, {-1 / 6d, -1 / 6d, -1 / 6d},
                {-1 / 6d, 1 / 6d, -1 / 6d}, {1 / 24d, 1 / 12d, 1 / 6d}, {1 / 24d, -1 / 12d, 1 / 6d}, {0, 0, 1}}
                : new double[][] {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
        int n = m + 2;
        float[][] u = new float[n * n][cinP * coutP];
        double[] gk = new double[n * 3];
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) {
                int wo = (co * cin + ci) * 9;
                // gk = G k (n x 3), then u = gk Gᵀ (n x n)
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < 3; c++) {
                        gk[i * 3 + c] = g[i][0] * weights[wo + c] + g[i][1] * weights[wo + 3 + c]
                                + g[i][2] * weights[wo + 6 + c];
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = gk[i * 3] * g[j][0] + gk[i * 3 + 1] * g[j][1] + gk[i * 3 + 2] * g[j][2];
                        u[i * n + j][ci * coutP + co] = (float) s;
                    }
                }
            }
        }
        return u;
    }

    /** Convenience for planar images [C, H, W] (converts in and out; a network keeps the {@link PhaseImage}). */
    public float[] forward(float[] in, int h, int w, boolean relu, Workers workers) {
        return forward(PhaseImage.fromPlanar(in, inChannels, h, w, m), relu, workers).toPlanar();
    }

    public PhaseImage forward(PhaseImage in, boolean relu, Workers workers) {
        if (in.channels() != inChannels || in.m() != m) {
            throw new IllegalArgumentException("Winograd layer takes " + inChannels + " channels in tiles of " + m
                    + ", got " + in.channels() + " in tiles of " + in.m());
        }
        PhaseImage out = PhaseImage.zeros(outChannels, in.height(), in.width(), m);
        int bandRows = Math.max(1, Math.round(tilesPerBand / (float) in.tilesX()));
        int bands = (in.tilesY() + bandRows - 1) / bandRows;
        workers.forEach(bands, band -> {
            int ty0 = band * bandRows;
            int ty1 = Math.min(in.tilesY(), ty0 + bandRows);
            int tiles = bandRows * in.tilesX();
            Scratch s = scratch.get();
            if (s == null || s.tiles != tiles) {
                s = new Scratch(tiles, n * n, cinP, coutP, n);
                scratch.set(s);
            }
            int count = (ty1 - ty0) * in.tilesX();
            for (int ci = 0; ci < inChannels; ci++) {
                if (m == 4) {
                    inputTransform4(in, ci, ty0, ty1, s);
                } else {
                    inputTransform2(in, ci, ty0, ty1, s);
                }
            }
            for (int e = 0; e < n * n; e++) {
                multiply(s.v, e * cinP, u[e], s.prod, e * coutP, cinP, coutP, count);
            }
            for (int co = 0; co < outChannels; co++) {
                if (m == 4) {
                    outputTransform4(s, co, bias[co], relu, out, ty0, ty1);
                } else {
                    outputTransform2(s, co, bias[co], relu, out, ty0, ty1);
                }
            }
        });
        out.clearOutside();
        return out;
    }

    /**
     * prod[pOff + co][t] = Σ_ci u[ci * coutP + co] · v[vOff + ci][t] for t < count: four output rows by four input
     * rows per pass, so each loaded vector feeds four FMAs and each stored one took sixteen. cinP and coutP are
     * multiples of 4. Public for WinogradBench, which times it alone (the layer's floor without transforms).
     */
    public static void multiply(float[][] v, int vOff, float[] u, float[][] prod, int pOff, int cinP, int coutP, int count) {
        for (int co = 0; co < coutP; co += 4) {
            float[] p0 = prod[pOff + co];
            float[] p1 = prod[pOff + co + 1];
            float[] p2 = prod[pOff + co + 2];
            float[] p3 = prod[pOff + co + 3];
            for (int ci = 0; ci < cinP; ci += 4) {
                float[] v0 = v[vOff + ci];
                float[] v1 = v[vOff + ci + 1];
                float[] v2 = v[vOff + ci + 2];
                float[] v3 = v[vOff + ci + 3];
                int o0 = ci * coutP + co;
                int o1 = o0 + coutP;
                int o2 = o1 + coutP;
                int o3 = o2 + coutP;
                float a0 = u[o0], a1 = u[o1], a2 = u[o2], a3 = u[o3];
                float b0 = u[o0 + 1], b1 = u[o1 + 1], b2 = u[o2 + 1], b3 = u[o3 + 1];
                float c0 = u[o0 + 2], c1 = u[o1 + 2], c2 = u[o2 + 2], c3 = u[o3 + 2];
                float d0 = u[o0 + 3], d1 = u[o1 + 3], d2 = u[o2 + 3], d3 = u[o3 + 3];
                if (ci == 0) {
                    for (int t = 0; t < count; t++) {
                        float x0 = v0[t], x1 = v1[t], x2 = v2[t], x3 = v3[t];
                        p0[t] = Math.fma(a3, x3, Math.fma(a2, x2, Math.fma(a1, x1, a0 * x0)));
                        p1[t] = Math.fma(b3, x3, Math.fma(b2, x2, Math.fma(b1, x1, b0 * x0)));
                        p2[t] = Math.fma(c3, x3, Math.fma(c2, x2, Math.fma(c1, x1, c0 * x0)));
                        p3[t] = Math.fma(d3, x3, Math.fma(d2, x2, Math.fma(d1, x1, d0 * x0)));
                    }
                } else {
                    for (int t = 0; t < count; t++) {
                        float x0 = v0[t], x1 = v1[t], x2 = v2[t], x3 = v3[t];
                        p0[t] = Math.fma(a3, x3, Math.fma(a2, x2, Math.fma(a1, x1, Math.fma(a0, x0, p0[t]))));
                        p1[t] = Math.fma(b3, x3, Math.fma(b2, x2, Math.fma(b1, x1, Math.fma(b0, x0, p1[t]))));
                        p2[t] = Math.fma(c3, x3, Math.fma(c2, x2, Math.fma(c1, x1, Math.fma(c0, x0, p2[t]))));
                        p3[t] = Math.fma(d3, x3, Math.fma(d2, x2, Math.fma(d1, x1, Math.fma(d0, x0, p3[t]))));
                    }
                }
            }
        }
    }

    /** Bᵀ d B for F(4x4, 3x3) on every tile of the band, channel ci, into s.v[e * cinP + ci]. */
    private void inputTransform4(PhaseImage in, int ci, int ty0, int ty1, Scratch s) {
        float[] x = in.data();
        int tx = in.tilesX();
        float[][] tmp = s.tmp;
        // rows first: tmp[r * 6 + j][t] = (d_r B)[j] for the patch's six rows r
        for (int ty = ty0; ty < ty1; ty++) {
            int t0 = (ty - ty0) * tx;
            for (int r = 0; r < 6; r++) {
                int yy = ty * 4 + r;
                // phase rows of padded image row yy; tile k sits at index k + 1 of each
                int q0 = in.index(ci, yy, 0) - t0;
                int q1 = in.index(ci, yy, 1) - t0;
                int q2 = in.index(ci, yy, 2) - t0;
                int q3 = in.index(ci, yy, 3) - t0;
                float[] o0 = tmp[r * 6];
                float[] o1 = tmp[r * 6 + 1];
                float[] o2 = tmp[r * 6 + 2];
                float[] o3 = tmp[r * 6 + 3];
                float[] o4 = tmp[r * 6 + 4];
                float[] o5 = tmp[r * 6 + 5];
                for (int t = t0; t < t0 + tx; t++) {
                    float d0 = x[q3 + t];
                    float d1 = x[q0 + t + 1];
                    float d2 = x[q1 + t + 1];
                    float d3 = x[q2 + t + 1];
                    float d4 = x[q3 + t + 1];
                    float d5 = x[q0 + t + 2];
                    o0[t] = 4 * d0 - 5 * d2 + d4;
                    o1[t] = d4 + d3 - 4 * (d1 + d2);
                    o2[t] = d4 - d3 + 4 * (d1 - d2);
                    o3[t] = d4 - d2 + 2 * (d3 - d1);
                    o4[t] = d4 - d2 - 2 * (d3 - d1);
                    o5[t] = 4 * d1 - 5 * d3 + d5;
                }
            }
        }
        int count = (ty1 - ty0) * tx;
        // then columns: v[(i * 6 + j)][t] = Σ_r Bᵀ[i][r] tmp[r * 6 + j][t]
        for (int j = 0; j < 6; j++) {
            float[] d0 = tmp[j];
            float[] d1 = tmp[6 + j];
            float[] d2 = tmp[12 + j];
            float[] d3 = tmp[18 + j];
            float[] d4 = tmp[24 + j];
            float[] d5 = tmp[30 + j];
            float[] v0 = s.v[j * cinP + ci];
            float[] v1 = s.v[(6 + j) * cinP + ci];
            float[] v2 = s.v[(12 + j) * cinP + ci];
            float[] v3 = s.v[(18 + j) * cinP + ci];
            float[] v4 = s.v[(24 + j) * cinP + ci];
            float[] v5 = s.v[(30 + j) * cinP + ci];
            // one output per loop: C2 does not vectorise loops this wide with six stores
            for (int t = 0; t < count; t++) {
                v0[t] = 4 * d0[t] - 5 * d2[t] + d4[t];
            }
            for (int t = 0; t < count; t++) {
                v1[t] = d4[t] + d3[t] - 4 * (d1[t] + d2[t]);
            }
            for (int t = 0; t < count; t++) {
                v2[t] = d4[t] - d3[t] + 4 * (d1[t] - d2[t]);
            }
            for (int t = 0; t < count; t++) {
                v3[t] = d4[t] - d2[t] + 2 * (d3[t] - d1[t]);
            }
            for (int t = 0; t < count; t++) {
                v4[t] = d4[t] - d2[t] - 2 * (d3[t] - d1[t]);
            }
            for (int t = 0; t < count; t++) {
                v5[t] = 4 * d1[t] - 5 * d3[t] + d5[t];
            }
        }
    }

    /** Aᵀ M A + bias (+ ReLU) for F(4x4, 3x3), output channel co, written into the band's rows of out. */
    private void outputTransform4(Scratch s, int co, float b, boolean relu, PhaseImage out, int ty0, int ty1) {
        int tx = out.tilesX();
        int count = (ty1 - ty0) * tx;
        float[][] z = s.tmp;
        // along j: z[i * 4 + c][t] = Σ_j Aᵀ[c][j] M[i * 6 + j][t]
        for (int i = 0; i < 6; i++) {
            float[] m0 = s.prod[(i * 6) * coutP + co];
            float[] m1 = s.prod[(i * 6 + 1) * coutP + co];
            float[] m2 = s.prod[(i * 6 + 2) * coutP + co];
            float[] m3 = s.prod[(i * 6 + 3) * coutP + co];
            float[] m4 = s.prod[(i * 6 + 4) * coutP + co];
            float[] m5 = s.prod[(i * 6 + 5) * coutP + co];
            float[] z0 = z[i * 4];
            float[] z1 = z[i * 4 + 1];
            float[] z2 = z[i * 4 + 2];
            float[] z3 = z[i * 4 + 3];
            for (int t = 0; t < count; t++) {
                z0[t] = m0[t] + m1[t] + m2[t] + m3[t] + m4[t];
            }
            for (int t = 0; t < count; t++) {
                z1[t] = m1[t] - m2[t] + 2 * (m3[t] - m4[t]);
            }
            for (int t = 0; t < count; t++) {
                z2[t] = m1[t] + m2[t] + 4 * (m3[t] + m4[t]);
            }
            for (int t = 0; t < count; t++) {
                z3[t] = m1[t] - m2[t] + 8 * (m3[t] - m4[t]) + m5[t];
            }
        }
        // along i, one output row and phase at a time (stores must be indexed by the loop variable)
        float[] y = out.data();
        // max(v, -inf) is v: no branch in the loop
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        for (int ty = ty0; ty < ty1; ty++) {
            int t0 = (ty - ty0) * tx;
            for (int c = 0; c < 4; c++) {
                float[] z0 = z[c];
                float[] z1 = z[4 + c];
                float[] z2 = z[8 + c];
                float[] z3 = z[12 + c];
                float[] z4 = z[16 + c];
                float[] z5 = z[20 + c];
                int k0 = out.index(co, ty * 4 + 1, c) + 1;
                int shift = t0 - k0;
                for (int k = k0; k < k0 + tx; k++) {
                    int t = k + shift;
                    y[k] = Math.max(z0[t] + z1[t] + z2[t] + z3[t] + z4[t] + b, floor);
                }
                k0 = out.index(co, ty * 4 + 2, c) + 1;
                shift = t0 - k0;
                for (int k = k0; k < k0 + tx; k++) {
                    int t = k + shift;
                    y[k] = Math.max(z1[t] - z2[t] + 2 * (z3[t] - z4[t]) + b, floor);
                }
                k0 = out.index(co, ty * 4 + 3, c) + 1;
                shift = t0 - k0;
                for (int k = k0; k < k0 + tx; k++) {
                    int t = k + shift;
                    y[k] = Math.max(z1[t] + z2[t] + 4 * (z3[t] + z4[t]) + b, floor);
                }
                k0 = out.index(co, ty * 4 + 4, c) + 1;
                shift = t0 - k0;
                for (int k = k0; k < k0 + tx; k++) {
                    int t = k + shift;
                    y[k] = Math.max(z1[t] - z2[t] + 8 * (z3[t] - z4[t]) + z5[t] + b, floor);
                }
            }
        }
    }

    /** Bᵀ d B for F(2x2, 3x3). */
    private void inputTransform2(PhaseImage in, int ci, int ty0, int ty1, Scratch s) {
        float[] x = in.data();
        int tx = in.tilesX();
        float[][] tmp = s.tmp;
        for (int ty = ty0; ty < ty1; ty++) {
            int t0 = (ty - ty0) * tx;
            for (int r = 0; r < 4; r++) {
                int yy = ty * 2 + r;
                int q0 = in.index(ci, yy, 0) - t0;
                int q1 = in.index(ci, yy, 1) - t0;
                float[] o0 = tmp[r * 4];
                float[] o1 = tmp[r * 4 + 1];
                float[] o2 = tmp[r * 4 + 2];
                float[] o3 = tmp[r * 4 + 3];
                for (int t = t0; t < t0 + tx; t++) {
                    float d0 = x[q1 + t];
                    float d1 = x[q0 + t + 1];
                    float d2 = x[q1 + t + 1];
                    float d3 = x[q0 + t + 2];
                    o0[t] = d0 - d2;
                    o1[t] = d1 + d2;
                    o2[t] = d2 - d1;
                    o3[t] = d1 - d3;
                }
            }
        }
        int count = (ty1 - ty0) * tx;
        for (int j = 0; j < 4; j++) {
            float[] d0 = tmp[j];
            float[] d1 = tmp[4 + j];
            float[] d2 = tmp[8 + j];
            float[] d3 = tmp[12 + j];
            float[] v0 = s.v[j * cinP + ci];
            float[] v1 = s.v[(4 + j) * cinP + ci];
            float[] v2 = s.v[(8 + j) * cinP + ci];
            float[] v3 = s.v[(12 + j) * cinP + ci];
            for (int t = 0; t < count; t++) {
                float a0 = d0[t], a1 = d1[t], a2 = d2[t], a3 = d3[t];
                v0[t] = a0 - a2;
                v1[t] = a1 + a2;
                v2[t] = a2 - a1;
                v3[t] = a1 - a3;
            }
        }
    }

    /** Aᵀ M A + bias (+ ReLU) for F(2x2, 3x3). */
    private void outputTransform2(Scratch s, int co, float b, boolean relu, PhaseImage out, int ty0, int ty1) {
        int tx = out.tilesX();
        int count = (ty1 - ty0) * tx;
        float[][] z = s.tmp;
        for (int i = 0; i < 4; i++) {
            float[] m0 = s.prod[(i * 4) * coutP + co];
            float[] m1 = s.prod[(i * 4 + 1) * coutP + co];
            float[] m2 = s.prod[(i * 4 + 2) * coutP + co];
            float[] m3 = s.prod[(i * 4 + 3) * coutP + co];
            float[] z0 = z[i * 2];
            float[] z1 = z[i * 2 + 1];
            for (int t = 0; t < count; t++) {
                float a1 = m1[t], a2 = m2[t];
                z0[t] = m0[t] + a1 + a2;
                z1[t] = a1 - a2 - m3[t];
            }
        }
        float[] y = out.data();
        // max(v, -inf) is v: no branch in the loop
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        for (int ty = ty0; ty < ty1; ty++) {
            int t0 = (ty - ty0) * tx;
            for (int c = 0; c < 2; c++) {
                float[] z0 = z[c];
                float[] z1 = z[2 + c];
                float[] z2 = z[4 + c];
                float[] z3 = z[6 + c];
                int k0 = out.index(co, ty * 2 + 1, c) + 1;
                int shift = t0 - k0;
                for (int k = k0; k < k0 + tx; k++) {
                    int t = k + shift;
                    y[k] = Math.max(z0[t] + z1[t] + z2[t] + b, floor);
                }
                k0 = out.index(co, ty * 2 + 2, c) + 1;
                shift = t0 - k0;
                for (int k = k0; k < k0 + tx; k++) {
                    int t = k + shift;
                    y[k] = Math.max(z1[t] - z2[t] - z3[t] + b, floor);
                }
            }
        }
    }
}
