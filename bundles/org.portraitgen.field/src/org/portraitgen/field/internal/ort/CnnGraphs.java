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
 * <li>weights: one GEMM for all nine taps, [3·Cout, H·(W+2)] × [3·Cin, H·(W+2)]ᵀ: the three row shifts of pad(a)
 * against g shifted by the three column offsets (3·Cin + 3·Cout planes copied, not a 9·Cin im2col buffer, and one
 * large GEMM that MLAS runs far better than nine thin ones);</li>
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

    /**
     * The training forward pass in ONNX Runtime's blocked layout (NCHWc, channels in blocks of {@code block}): the
     * layout its MLAS convolutions run fastest in, which ORT's optimiser only picks for constant weights. Here the
     * weights stay inputs, reordered by the caller ({@link BlockedWeights#forward}); inputs {@code x} [1, C, H, W]
     * (plain), {@code w0..w5}, {@code b0..b5} (padded to whole blocks); outputs {@code a1..a5} (ReLU outputs in the
     * blocked layout, for {@link #backwardBlocked}) and {@code rgb} [1, 3, H, W] (plain).
     */
    public static byte[] forwardBlocked(NeuralRenderer net, int block) {
        OnnxModel m = new OnnxModel();
        Conv2d[] layers = net.layers;
        m.input("x", OnnxModel.FLOAT, 1L, (long) net.featureChannels, "H", "W");
        for (int i = 0; i < layers.length; i++) {
            Conv2d c = layers[i];
            long out = roundUp(c.outChannels, block);
            m.input("w" + i, OnnxModel.FLOAT, out, roundUp(c.inChannels, block), (long) c.kernel, (long) c.kernel);
            m.input("b" + i, OnnxModel.FLOAT, out);
        }
        String x = m.op("ReorderInput", OnnxModel.NCHWC, new String[] {"x"});
        for (int i = 0; i < layers.length; i++) {
            Conv2d c = layers[i];
            long p = c.kernel / 2;
            boolean last = i == layers.length - 1;
            String y = last ? m.tmp("z") : "a" + (i + 1);
            Object[] attrs = last
                    ? new Object[] {"kernel_shape", new long[] {c.kernel, c.kernel}, "pads", new long[] {p, p, p, p}}
                    : new Object[] {"kernel_shape", new long[] {c.kernel, c.kernel}, "pads", new long[] {p, p, p, p},
                            "activation", "Relu"};
            m.nodeIn(OnnxModel.NCHWC, "Conv", new String[] {x, "w" + i, "b" + i}, new String[] {y}, attrs);
            if (last) {
                String z = m.op("ReorderOutput", OnnxModel.NCHWC, new String[] {y}, "channels", (long) c.outChannels);
                m.node("Sigmoid", new String[] {z}, new String[] {"rgb"});
                m.output("rgb", OnnxModel.FLOAT, 1L, 3L, "H", "W");
            } else {
                m.output(y, OnnxModel.FLOAT, 1L, roundUp(c.outChannels, block), "H", "W");
                x = y;
            }
        }
        return m.toBytes("neural_renderer_forward_nchwc");
    }

    /**
     * The backward pass of {@link #forwardBlocked}: inputs {@code a0} [1, C, H, W] (plain: the features),
     * {@code a1..a5} (blocked, from the forward), {@code rgb}, {@code vrgb} [1, 3, H, W] and {@code wt0..wt5},
     * the input-gradient weights transposed, flipped and blocked ({@link BlockedWeights#inputGradient}); outputs as
     * {@link #backward}. The input gradients and ReLU masks run blocked; each layer's g and input are reordered to
     * the plain layout once for the weight gradient's GEMM.
     */
    public static byte[] backwardBlocked(NeuralRenderer net, int block) {
        OnnxModel m = new OnnxModel();
        Conv2d[] layers = net.layers;
        m.input("a0", OnnxModel.FLOAT, 1L, (long) net.featureChannels, "H", "W");
        for (int i = 1; i < layers.length; i++) {
            m.input("a" + i, OnnxModel.FLOAT, 1L, roundUp(layers[i].inChannels, block), "H", "W");
        }
        for (int i = 0; i < layers.length; i++) {
            Conv2d c = layers[i];
            m.input("wt" + i, OnnxModel.FLOAT, roundUp(c.inChannels, block), roundUp(c.outChannels, block),
                    (long) c.kernel, (long) c.kernel);
        }
        m.input("rgb", OnnxModel.FLOAT, 1L, 3L, "H", "W");
        m.input("vrgb", OnnxModel.FLOAT, 1L, 3L, "H", "W");
        String oneMinus = m.op("Sub", new String[] {m.scalar(1f), "rgb"});
        String gPlain = m.op("Mul", new String[] {m.op("Mul", new String[] {"vrgb", "rgb"}), oneMinus});
        // ReorderInput takes channel counts in multiples of four: RGB gets a zero fourth
        String g4 = m.op("Pad", new String[] {gPlain, m.ints(0, 0, 0, 0, 0, 1, 0, 0)});
        String gBlocked = m.op("ReorderInput", OnnxModel.NCHWC, new String[] {g4});
        String zero = m.scalar(0f);
        String axesNHW = m.ints(0, 2, 3);
        for (int i = layers.length - 1; i >= 0; i--) {
            Conv2d c = layers[i];
            if (gPlain == null) {
                gPlain = m.op("ReorderOutput", OnnxModel.NCHWC, new String[] {gBlocked}, "channels",
                        (long) c.outChannels);
            }
            String a = i == 0 ? "a0"
                    : m.op("ReorderOutput", OnnxModel.NCHWC, new String[] {"a" + i}, "channels", (long) c.inChannels);
            m.node("ReduceSum", new String[] {gPlain, axesNHW}, new String[] {"gb" + i}, "keepdims", 0L);
            m.output("gb" + i, OnnxModel.FLOAT, (long) c.outChannels);
            weightGradient(m, c, a, gPlain, "gw" + i);
            m.output("gw" + i, OnnxModel.FLOAT, (long) c.outChannels, (long) c.inChannels, (long) c.kernel,
                    (long) c.kernel);
            long p = c.kernel / 2;
            String va = m.tmp("va");
            m.nodeIn(OnnxModel.NCHWC, "Conv", new String[] {gBlocked, "wt" + i}, new String[] {va}, "kernel_shape",
                    new long[] {c.kernel, c.kernel}, "pads", new long[] {p, p, p, p});
            if (i > 0) {
                String positive = m.op("Greater", new String[] {"a" + i, zero});
                gBlocked = m.op("Where", new String[] {positive, va, zero});
                gPlain = null;
            } else {
                m.nodeIn(OnnxModel.NCHWC, "ReorderOutput", new String[] {va}, new String[] {"vx"}, "channels",
                        (long) net.featureChannels);
            }
        }
        m.output("vx", OnnxModel.FLOAT, 1L, (long) net.featureChannels, "H", "W");
        return m.toBytes("neural_renderer_backward_nchwc");
    }

    static long roundUp(int n, int block) {
        return (long) (n + block - 1) / block * block;
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
        if (c.kernel == 1) {
            String g2 = m.op("Reshape", new String[] {g, m.ints(c.outChannels, -1)});
            String flat = m.ints(c.inChannels, -1);
            String gemm = m.op("Gemm", new String[] {g2, m.op("Reshape", new String[] {a, flat})}, "transB", 1L);
            m.node("Reshape", new String[] {gemm, m.ints(c.outChannels, c.inChannels, 1, 1)}, new String[] {out});
            return;
        }
        // all nine taps in one GEMM with K = H·(W+2): the three row shifts of pad(a) stacked along channels,
        // against g padded by kx columns on the left (2 - kx on the right) for the three column shifts; a column of
        // g's zero padding meets each wrapped-around pixel, so those add nothing
        String padded = m.op("Pad", new String[] {a, m.ints(0, 0, 1, 1, 0, 0, 1, 1)});
        String[] rows = new String[3];
        String[] cols = new String[3];
        for (int k = 0; k < 3; k++) {
            // rows [k, k + H) of H + 2: the end counted from the back keeps H symbolic
            rows[k] = m.op("Slice", new String[] {padded, m.ints(k), m.ints(k == 2 ? Long.MAX_VALUE : k - 2),
                    m.ints(2)});
            cols[k] = m.op("Pad", new String[] {g, m.ints(0, 0, 0, k, 0, 0, 0, 2 - k)});
        }
        String aStack = m.op("Reshape", new String[] {m.op("Concat", rows, "axis", 1L), m.ints(3L * c.inChannels, -1)});
        String gStack = m.op("Reshape", new String[] {m.op("Concat", cols, "axis", 1L),
                m.ints(3L * c.outChannels, -1)});
        // [kx·Cout + o, ky·Cin + i] → [o, i, ky, kx]
        String gemm = m.op("Gemm", new String[] {gStack, aStack}, "transB", 1L);
        String split = m.op("Reshape", new String[] {gemm, m.ints(3, c.outChannels, 3, c.inChannels)});
        m.node("Transpose", new String[] {split}, new String[] {out}, "perm", new long[] {1, 3, 2, 0});
    }
}
