package org.portraitgen.field.internal.cnn;

import java.util.Arrays;

import org.portraitgen.field.internal.Workers;

/**
 * A k x k convolution (k = 1 or 3), stride 1, zero padding k / 2, with bias, on planar float images [C, H, W].
 *
 * <p>Why it looks like this: HotSpot does not auto-vectorise loops that read one float[] and write another (it
 * cannot rule out aliasing), so the speed comes from register blocking instead: a micro-kernel keeps 4 output
 * channels x 4 pixels in local accumulators and reuses every loaded input for 4 channels and 3 taps. Inputs are
 * zero-padded once so the kernel has no bounds tests. Weights are repacked per block of 4 output channels as
 * [block][ci][ky][kx][4], so the kernel streams them contiguously.
 *
 * <p>Work is split into fixed items (channel blocks x row bands) that write disjoint outputs, so results do not
 * depend on the thread count.
 */
public final class Conv2d {
    static final int CO_BLOCK = 4;
    static final int X_BLOCK = 4;
    private static final int ROW_BANDS = 16;

    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    /** [Cout, Cin, k, k] as PyTorch lays them out. */
    public final float[] weights;
    /** [Cout] */
    public final float[] bias;

    public Conv2d(int inChannels, int outChannels, int kernel) {
        if (kernel != 1 && kernel != 3) {
            throw new IllegalArgumentException("kernel must be 1 or 3: " + kernel);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        weights = new float[outChannels * inChannels * kernel * kernel];
        bias = new float[outChannels];
    }

    int pad() {
        return kernel / 2;
    }

    /** Zero-padded copy of a planar image: [C, H + 2p, W + 2p]. */
    static float[] padded(float[] in, int channels, int h, int w, int p) {
        if (p == 0) {
            return in;
        }
        int pw = w + 2 * p;
        int ph = h + 2 * p;
        float[] out = new float[channels * ph * pw];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(in, (c * h + y) * w, out, (c * ph + y + p) * pw + p, w);
            }
        }
        return out;
    }

    /** Weights [Cout, Cin, k, k] repacked to [Cout/4 (rounded up)][Cin][k*k][4], zero for missing channels. */
    static float[] pack(float[] w, int cout, int cin, int taps) {
        int blocks = (cout + CO_BLOCK - 1) / CO_BLOCK;
        float[] p = new float[blocks * cin * taps * CO_BLOCK];
        for (int co = 0; co < cout; co++) {
            int b = co / CO_BLOCK;
            int j = co % CO_BLOCK;
            for (int ci = 0; ci < cin; ci++) {
                for (int t = 0; t < taps; t++) {
                    p[((b * cin + ci) * taps + t) * CO_BLOCK + j] = w[(co * cin + ci) * taps + t];
                }
            }
        }
        return p;
    }

    /** out [Cout, H, W] = conv(in [Cin, H, W]) + bias. */
    public float[] forward(float[] in, int h, int w, Workers workers) {
        float[] out = new float[outChannels * h * w];
        convolve(padded(in, inChannels, h, w, pad()), inChannels, pack(weights, outChannels, inChannels,
                kernel * kernel), bias, outChannels, h, w, kernel, out, workers);
        return out;
    }

    /**
     * Backward: returns dL/din [Cin, H, W] (null if not wanted) and adds dL/dweights, dL/dbias into the given
     * arrays. {@code vOut} is dL/dout [Cout, H, W].
     */
    public float[] backward(float[] in, float[] vOut, int h, int w, float[] vWeights, float[] vBias, boolean wantInput,
            Workers workers) {
        int p = pad();
        int taps = kernel * kernel;
        float[] inPad = padded(in, inChannels, h, w, p);
        int plane = h * w;
        workers.forEach(outChannels, co -> {
            double s = 0;
            for (int i = co * plane; i < (co + 1) * plane; i++) {
                s += vOut[i];
            }
            vBias[co] += (float) s;
        });
        weightGradient(inPad, vOut, h, w, vWeights, workers);
        if (!wantInput) {
            return null;
        }
        // dL/din is the convolution of dL/dout with the kernel flipped and its channel axes swapped
        float[] flipped = new float[weights.length];
        for (int co = 0; co < outChannels; co++) {
            for (int ci = 0; ci < inChannels; ci++) {
                for (int t = 0; t < taps; t++) {
                    flipped[(ci * outChannels + co) * taps + (taps - 1 - t)] = weights[(co * inChannels + ci) * taps
                            + t];
                }
            }
        }
        float[] vIn = new float[inChannels * plane];
        convolve(padded(vOut, outChannels, h, w, p), outChannels, pack(flipped, inChannels, outChannels, taps),
                new float[inChannels], inChannels, h, w, kernel, vIn, workers);
        return vIn;
    }

    /** The forward kernel: inPad [cin, H+2p, W+2p], packed weights, into out [cout, H, W]. */
    static void convolve(float[] inPad, int cin, float[] packed, float[] bias, int cout, int h, int w, int k,
            float[] out, Workers workers) {
        int blocks = (cout + CO_BLOCK - 1) / CO_BLOCK;
        int bands = Math.min(ROW_BANDS, h);
        workers.forEach(blocks * bands, item -> {
            int b = item / bands;
            int band = item % bands;
            int y0 = band * h / bands;
            int y1 = (band + 1) * h / bands;
            for (int y = y0; y < y1; y++) {
                convolveRow(inPad, cin, packed, bias, cout, h, w, k, out, b, y);
            }
        });
    }

    private static void convolveRow(float[] inPad, int cin, float[] packed, float[] bias, int cout, int h, int w,
            int k, float[] out, int block, int y) {
        int p = k / 2;
        int pw = w + 2 * p;
        int ph = h + 2 * p;
        int taps = k * k;
        int co0 = block * CO_BLOCK;
        float b0 = bias[co0];
        float b1 = co0 + 1 < cout ? bias[co0 + 1] : 0;
        float b2 = co0 + 2 < cout ? bias[co0 + 2] : 0;
        float b3 = co0 + 3 < cout ? bias[co0 + 3] : 0;
        float[] acc = new float[CO_BLOCK * X_BLOCK];
        int wBase = block * cin * taps * CO_BLOCK;
        for (int x = 0; x < w; x += X_BLOCK) {
            int n = Math.min(X_BLOCK, w - x);
            float a00 = b0, a01 = b0, a02 = b0, a03 = b0;
            float a10 = b1, a11 = b1, a12 = b1, a13 = b1;
            float a20 = b2, a21 = b2, a22 = b2, a23 = b2;
            float a30 = b3, a31 = b3, a32 = b3, a33 = b3;
            if (n == X_BLOCK) {
                for (int ci = 0; ci < cin; ci++) {
                    int wo = wBase + ci * taps * CO_BLOCK;
                    for (int ky = 0; ky < k; ky++) {
                        int io = (ci * ph + y + ky) * pw + x;
                        for (int kx = 0; kx < k; kx++) {
                            float i0 = inPad[io + kx];
                            float i1 = inPad[io + kx + 1];
                            float i2 = inPad[io + kx + 2];
                            float i3 = inPad[io + kx + 3];
                            int o = wo + (ky * k + kx) * CO_BLOCK;
                            float w0 = packed[o];
                            float w1 = packed[o + 1];
                            float w2 = packed[o + 2];
                            float w3 = packed[o + 3];
                            a00 += w0 * i0; a01 += w0 * i1; a02 += w0 * i2; a03 += w0 * i3;
                            a10 += w1 * i0; a11 += w1 * i1; a12 += w1 * i2; a13 += w1 * i3;
                            a20 += w2 * i0; a21 += w2 * i1; a22 += w2 * i2; a23 += w2 * i3;
                            a30 += w3 * i0; a31 += w3 * i1; a32 += w3 * i2; a33 += w3 * i3;
                        }
                    }
                }
                acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a03;
                acc[4] = a10; acc[5] = a11; acc[6] = a12; acc[7] = a13;
                acc[8] = a20; acc[9] = a21; acc[10] = a22; acc[11] = a23;
                acc[12] = a30; acc[13] = a31; acc[14] = a32; acc[15] = a33;
            } else {
                // the ragged right edge: plain loops
                Arrays.fill(acc, 0);
                for (int j = 0; j < CO_BLOCK; j++) {
                    for (int xi = 0; xi < n; xi++) {
                        acc[j * X_BLOCK + xi] = j == 0 ? b0 : j == 1 ? b1 : j == 2 ? b2 : b3;
                    }
                }
                for (int ci = 0; ci < cin; ci++) {
                    for (int t = 0; t < taps; t++) {
                        int io = (ci * ph + y + t / k) * pw + x + t % k;
                        int o = wBase + (ci * taps + t) * CO_BLOCK;
                        for (int j = 0; j < CO_BLOCK; j++) {
                            for (int xi = 0; xi < n; xi++) {
                                acc[j * X_BLOCK + xi] += packed[o + j] * inPad[io + xi];
                            }
                        }
                    }
                }
            }
            for (int j = 0; j < CO_BLOCK && co0 + j < cout; j++) {
                int oo = ((co0 + j) * h + y) * w + x;
                for (int xi = 0; xi < n; xi++) {
                    out[oo + xi] = acc[j * X_BLOCK + xi];
                }
            }
        }
    }

    /** dL/dW[co, ci, ky, kx] += Σ_y,x vOut[co, y, x] · inPad[ci, y + ky, x + kx]; one item per output channel. */
    private void weightGradient(float[] inPad, float[] vOut, int h, int w, float[] vWeights, Workers workers) {
        int k = kernel;
        int p = pad();
        int pw = w + 2 * p;
        int ph = h + 2 * p;
        int taps = k * k;
        workers.forEach(outChannels, co -> {
            int go = co * h * w;
            for (int ci = 0; ci < inChannels; ci++) {
                for (int ky = 0; ky < k; ky++) {
                    // three taps of one kernel row share the loaded gradient; doubles keep long sums exact enough
                    double s0 = 0;
                    double s1 = 0;
                    double s2 = 0;
                    for (int y = 0; y < h; y++) {
                        int io = (ci * ph + y + ky) * pw;
                        int gr = go + y * w;
                        if (k == 3) {
                            float r0 = 0;
                            float r1 = 0;
                            float r2 = 0;
                            for (int x = 0; x < w; x++) {
                                float g = vOut[gr + x];
                                r0 += g * inPad[io + x];
                                r1 += g * inPad[io + x + 1];
                                r2 += g * inPad[io + x + 2];
                            }
                            s0 += r0;
                            s1 += r1;
                            s2 += r2;
                        } else {
                            float r0 = 0;
                            for (int x = 0; x < w; x++) {
                                r0 += vOut[gr + x] * inPad[io + x];
                            }
                            s0 += r0;
                        }
                    }
                    int wo = (co * inChannels + ci) * taps + ky * k;
                    vWeights[wo] += (float) s0;
                    if (k == 3) {
                        vWeights[wo + 1] += (float) s1;
                        vWeights[wo + 2] += (float) s2;
                    }
                }
            }
        });
    }
}
