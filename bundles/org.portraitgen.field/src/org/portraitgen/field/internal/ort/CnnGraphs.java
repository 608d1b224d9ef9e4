package org.portraitgen.field.internal.ort;

import org.portraitgen.core.onnx.OnnxModel;
import org.portraitgen.field.internal.cnn.Conv2d;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The neural renderer's forward and backward passes as ONNX graphs, for ONNX Runtime's CPU execution provider
 * (which serves no training ops: the backward is written out of inference ops). Weights are graph inputs, not
 * initialisers, so one session serves every optimiser step; H and W are symbolic, so one session serves every size.
 *
 * <p>Forward inputs: {@code x} [1, C, H, W], {@code w0..w5}, {@code b0..b5}; outputs: {@code a1..a5} (the ReLU
 * outputs, i.e. the inputs of layers 1..5, kept for the backward pass) and {@code rgb} [1, 3, H, W].
 *
 * <p>Backward inputs: {@code a0..a5} (a0 = x), {@code rgb}, {@code vrgb} [1, 3, H, W], {@code w0..w5}; outputs:
 * {@code vx} [1, C, H, W], {@code gw0..gw5}, {@code gb0..gb5}. Per layer, with g = dL/d(pre-activation) [Cout, HW]:
 * <ul>
 * <li>bias: ReduceSum of g over N, H, W;</li>
 * <li>weights: for each tap (ky, kx), Gemm(g, shift_{ky,kx}(pad(a))ᵀ) = [Cout, Cin], the 9 taps concatenated
 * (one large-K GEMM per tap instead of a 9·Cin·HW im2col buffer);</li>
 * <li>input: Conv(g, w') with w' the weights transposed to [Cin, Cout, k, k] and flipped in space, same padding;
 * then the ReLU mask a > 0. (ConvTranspose(g, w) computes the same, but ORT's CPU kernel materialises a
 * Cin·k²·H·W column buffer, 300 MB for layer 1 at 256², where Conv works through MLAS in bounded tiles.)</li>
 * </ul>
 */
public final class CnnGraphs {
    private CnnGraphs() {
    }

    public static byte[] forward(NeuralRenderer net) {
        return forward(net, false);
    }

    /**
     * @param frozen the weights become initialisers (constants): ONNX Runtime then pre-packs them and may switch the
     *               convolutions to its blocked NCHWc kernels; for rendering a lifted field, where weights no longer
     *               change. The activations are then no outputs either (a forward-only graph): ORT may fuse
     *               and reuse their buffers.
     */
    public static byte[] forward(NeuralRenderer net, boolean frozen) {
        OnnxModel m = new OnnxModel();
        Conv2d[] layers = net.layers;
        m.input("x", OnnxModel.FLOAT, 1L, (long) net.featureChannels, "H", "W");
        for (int i = 0; i < layers.length; i++) {
            Conv2d c = layers[i];
            if (frozen) {
                m.floats("w" + i, c.weights, c.outChannels, c.inChannels, c.kernel, c.kernel);
                m.floats("b" + i, c.bias, c.outChannels);
            } else {
                declareWeights(m, "w" + i, c);
                m.input("b" + i, OnnxModel.FLOAT, (long) c.outChannels);
            }
        }
        String x = "x";
        for (int i = 0; i < layers.length; i++) {
            Conv2d c = layers[i];
            long p = c.kernel / 2;
            String y = m.op("Conv", new String[] {x, "w" + i, "b" + i}, "kernel_shape",
                    new long[] {c.kernel, c.kernel}, "pads", new long[] {p, p, p, p});
            if (i < layers.length - 1) {
                String a = "a" + (i + 1);
                m.node("Relu", new String[] {y}, new String[] {a});
                if (!frozen) {
                    m.output(a, OnnxModel.FLOAT, 1L, (long) c.outChannels, "H", "W");
                }
                x = a;
            } else {
                m.node("Sigmoid", new String[] {y}, new String[] {"rgb"});
                m.output("rgb", OnnxModel.FLOAT, 1L, 3L, "H", "W");
            }
        }
        return m.toBytes("neural_renderer_forward");
    }

    public static byte[] backward(NeuralRenderer net) {
        OnnxModel m = new OnnxModel();
        Conv2d[] layers = net.layers;
        for (int i = 0; i < layers.length; i++) {
            m.input("a" + i, OnnxModel.FLOAT, 1L, (long) layers[i].inChannels, "H", "W");
            declareWeights(m, "w" + i, layers[i]);
        }
        m.input("rgb", OnnxModel.FLOAT, 1L, 3L, "H", "W");
        m.input("vrgb", OnnxModel.FLOAT, 1L, 3L, "H", "W");
        // sigmoid: dL/dz = dL/drgb · rgb · (1 − rgb)
        String oneMinus = m.op("Sub", new String[] {m.scalar(1f), "rgb"});
        String g = m.op("Mul", new String[] {m.op("Mul", new String[] {"vrgb", "rgb"}), oneMinus});
        String zero = m.scalar(0f);
        String axesNHW = m.ints(0, 2, 3);
        for (int i = layers.length - 1; i >= 0; i--) {
            Conv2d c = layers[i];
            String a = "a" + i;
            m.node("ReduceSum", new String[] {g, axesNHW}, new String[] {"gb" + i}, "keepdims", 0L);
            m.output("gb" + i, OnnxModel.FLOAT, (long) c.outChannels);
            weightGradient(m, c, a, g, "gw" + i);
            m.output("gw" + i, OnnxModel.FLOAT, (long) c.outChannels, (long) c.inChannels, (long) c.kernel,
                    (long) c.kernel);
            long p = c.kernel / 2;
            String out = i == 0 ? "vx" : m.tmp("va");
            m.node("Conv", new String[] {g, flippedTranspose(m, "w" + i, c)}, new String[] {out}, "kernel_shape",
                    new long[] {c.kernel, c.kernel}, "pads", new long[] {p, p, p, p});
            if (i > 0) {
                // the input of layer i is ReLU(z): the gradient passes exactly where it is positive
                String positive = m.op("Greater", new String[] {a, zero});
                g = m.op("Where", new String[] {positive, out, zero});
            }
        }
        m.output("vx", OnnxModel.FLOAT, 1L, (long) net.featureChannels, "H", "W");
        return m.toBytes("neural_renderer_backward");
    }

    /** w'[ci, co, ky, kx] = w[co, ci, k-1-ky, k-1-kx]: the weights of the input gradient as a plain Conv. */
    private static String flippedTranspose(OnnxModel m, String w, Conv2d c) {
        String t = m.op("Transpose", new String[] {w}, "perm", new long[] {1, 0, 2, 3});
        if (c.kernel == 1) {
            return t;
        }
        return m.op("Slice", new String[] {t, m.ints(-1, -1), m.ints(Long.MIN_VALUE, Long.MIN_VALUE), m.ints(2, 3),
                m.ints(-1, -1)});
    }

    private static void declareWeights(OnnxModel m, String name, Conv2d c) {
        m.input(name, OnnxModel.FLOAT, (long) c.outChannels, (long) c.inChannels, (long) c.kernel, (long) c.kernel);
    }

    /** gw[co, ci, ky, kx] = Σ_{y,x} g[co, y, x] · pad(a)[ci, y + ky, x + kx]. */
    private static void weightGradient(OnnxModel m, Conv2d c, String a, String g, String out) {
        String g2 = m.op("Reshape", new String[] {g, m.ints(c.outChannels, -1)});
        String flat = m.ints(c.inChannels, -1);
        if (c.kernel == 1) {
            String gemm = m.op("Gemm", new String[] {g2, m.op("Reshape", new String[] {a, flat})}, "transB", 1L);
            m.node("Reshape", new String[] {gemm, m.ints(c.outChannels, c.inChannels, 1, 1)}, new String[] {out});
            return;
        }
        String padded = m.op("Pad", new String[] {a, m.ints(0, 0, 1, 1, 0, 0, 1, 1)});
        String[] taps = new String[9];
        String axes = m.ints(2, 3);
        String unsqueezeAxis = m.ints(2);
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                // rows [ky, ky + H) of H + 2: the end counted from the back keeps H symbolic
                long endY = ky == 2 ? Long.MAX_VALUE : ky - 2;
                long endX = kx == 2 ? Long.MAX_VALUE : kx - 2;
                String shifted = m.op("Slice", new String[] {padded, m.ints(ky, kx), m.ints(endY, endX), axes});
                String gemm = m.op("Gemm", new String[] {g2, m.op("Reshape", new String[] {shifted, flat})},
                        "transB", 1L);
                taps[ky * 3 + kx] = m.op("Unsqueeze", new String[] {gemm, unsqueezeAxis});
            }
        }
        String stacked = m.op("Concat", taps, "axis", 2L);
        m.node("Reshape", new String[] {stacked, m.ints(c.outChannels, c.inChannels, 3, 3)}, new String[] {out});
    }
}
