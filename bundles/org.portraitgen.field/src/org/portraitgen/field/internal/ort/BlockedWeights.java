package org.portraitgen.field.internal.ort;

import java.nio.FloatBuffer;

import org.portraitgen.field.internal.cnn.Conv2d;

/**
 * A layer's weights in the filter layout of ONNX Runtime's blocked (NCHWc) convolutions, OIHWBiBo: blocks of
 * {@code block} output channels, in them blocks of {@code block} input channels, in them the kernel taps, in them a
 * [input, output] channel block; channel counts padded with zeros to whole blocks (as MLAS's own
 * MlasReorderFilterOIHWBiBo writes them). Written into reusable direct buffers, so a step allocates nothing.
 */
final class BlockedWeights {
    private BlockedWeights() {
    }

    /** The forward weights of {@code c}: [O, I, k, k] reordered. */
    static void forward(Conv2d c, int block, FloatBuffer out) {
        reorder(c, block, false, out);
    }

    /**
     * The input gradient's weights: w'[ci, co, ky, kx] = w[co, ci, k-1-ky, k-1-kx] (transposed and flipped, so
     * dL/dinput is a plain convolution of dL/doutput), reordered.
     */
    static void inputGradient(Conv2d c, int block, FloatBuffer out) {
        reorder(c, block, true, out);
    }

    /** The bias padded with zeros to whole blocks. */
    static void bias(Conv2d c, int block, FloatBuffer out) {
        out.clear();
        out.put(c.bias);
        while (out.hasRemaining()) {
            out.put(0f);
        }
        out.flip();
    }

    static int size(int outChannels, int inChannels, int kernel, int block) {
        return (int) (CnnGraphs.roundUp(outChannels, block) * CnnGraphs.roundUp(inChannels, block) * kernel * kernel);
    }

    private static void reorder(Conv2d c, int block, boolean transposed, FloatBuffer out) {
        int k = c.kernel;
        int taps = k * k;
        // the convolution this filter belongs to: outputs o, inputs i
        int outs = transposed ? c.inChannels : c.outChannels;
        int ins = transposed ? c.outChannels : c.inChannels;
        int outBlocks = (outs + block - 1) / block;
        int inBlocks = (ins + block - 1) / block;
        float[] w = c.weights;
        out.clear();
        for (int ob = 0; ob < outBlocks; ob++) {
            for (int ib = 0; ib < inBlocks; ib++) {
                for (int tap = 0; tap < taps; tap++) {
                    for (int bi = 0; bi < block; bi++) {
                        int i = ib * block + bi;
                        for (int bo = 0; bo < block; bo++) {
                            int o = ob * block + bo;
                            float v = 0;
                            if (o < outs && i < ins) {
                                v = transposed
                                        ? w[(i * c.inChannels + o) * taps + (taps - 1 - tap)]
                                        : w[(o * c.inChannels + i) * taps + tap];
                            }
                            out.put(v);
                        }
                    }
                }
            }
        }
        out.flip();
    }
}
