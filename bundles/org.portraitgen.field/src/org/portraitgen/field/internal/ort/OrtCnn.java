package org.portraitgen.field.internal.ort;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.portraitgen.core.onnx.OnnxModel;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.Conv2d;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * ONNX Runtime (CPU execution provider) as the neural renderer's tensor engine, running the graphs of
 * {@link CnnGraphs}. Sessions are built for one renderer shape (feature channels) and serve any image size. The
 * forward pass's activations stay in native tensors until its {@link Pass} is closed, and feed the backward pass
 * without a copy. Not thread-safe: one engine per training loop.
 */
public final class OrtCnn implements CnnEngine {
    private final OrtEnvironment env;
    private final OrtSession forward;
    private final OrtSession backward;
    private final int featureChannels;
    /** Set for a forward-only engine whose session holds these weights as constants. */
    private final NeuralRenderer frozen;
    /** The NCHWc block size the training graphs run in; 0 for the plain-layout graphs. */
    private final int block;
    /** Per layer: forward weights, biases and input-gradient weights, in the layout the sessions take. */
    private final FloatBuffer[] weightBuffers;
    private final FloatBuffer[] biasBuffers;
    private final FloatBuffer[] gradientWeightBuffers;

    /** @param threads ORT intra-op threads (the machine's cores; the field's own pool is idle meanwhile) */
    public OrtCnn(int featureChannels, int threads) {
        this(new NeuralRenderer(featureChannels), threads, false, true);
    }

    /**
     * A training engine on the plain-layout (NCHW) graphs even where the blocked ones would run: the fallback where
     * ORT has no NCHWc kernels for this processor, kept testable on every machine.
     */
    public static OrtCnn plainLayout(int featureChannels, int threads) {
        return new OrtCnn(new NeuralRenderer(featureChannels), threads, false, false);
    }

    /**
     * A forward-only engine for one renderer whose weights no longer change (rendering a lifted field): the weights
     * are baked into the session, which lets ONNX Runtime pre-pack them. Its {@link #backward} refuses.
     */
    public static OrtCnn frozen(NeuralRenderer net, int threads) {
        return new OrtCnn(net, threads, true, false);
    }

    private OrtCnn(NeuralRenderer shape, int threads, boolean frozen, boolean blocked) {
        this.featureChannels = shape.featureChannels;
        this.frozen = frozen ? shape : null;
        try {
            env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = options(threads)) {
                // ReorderInput takes channel counts in multiples of four
                block = blocked && featureChannels % 4 == 0 ? nchwcBlockSize(env, o) : 0;
                if (block > 0) {
                    forward = env.createSession(CnnGraphs.forwardBlocked(shape, block), o);
                    backward = env.createSession(CnnGraphs.backwardBlocked(shape, block), o);
                } else {
                    forward = env.createSession(CnnGraphs.forward(shape, frozen), o);
                    backward = frozen ? null : env.createSession(CnnGraphs.backward(shape), o);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not build the neural renderer's sessions: "
                    + e.getMessage(), e);
        }
        int layers = shape.layers.length;
        weightBuffers = new FloatBuffer[layers];
        biasBuffers = new FloatBuffer[layers];
        gradientWeightBuffers = new FloatBuffer[layers];
        if (!frozen) {
            for (int i = 0; i < layers; i++) {
                Conv2d c = shape.layers[i];
                int b = Math.max(block, 1);
                weightBuffers[i] = direct(BlockedWeights.size(c.outChannels, c.inChannels, c.kernel, b));
                biasBuffers[i] = direct((int) CnnGraphs.roundUp(c.outChannels, b));
                if (block > 0) {
                    gradientWeightBuffers[i] = direct(BlockedWeights.size(c.inChannels, c.outChannels, c.kernel, b));
                }
            }
        }
    }

    /** A path prefix: when set, ORT writes a per-operator profile of every session (JSON) there, on close. */
    public static final String PROFILE_PROPERTY = "portraitgen.ort.profile";

    private static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // ORT's idle workers otherwise spin between runs, taking the cores from the rasterizer's threads that run
        // next (and from everyone else on a shared machine)
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        String profile = System.getProperty(PROFILE_PROPERTY);
        if (profile != null) {
            o.enableProfiling(profile);
        }
        return o;
    }

    /**
     * The channel block of ORT's NCHWc kernels on this processor (16 with AVX-512, 8 with AVX2), read off the shape
     * ReorderInput gives four channels (it takes multiples of four); 0 where the kernels are absent (they are
     * registered only where MLAS has them).
     */
    static int nchwcBlockSize(OrtEnvironment env, OrtSession.SessionOptions o) {
        OnnxModel m = new OnnxModel();
        m.input("x", OnnxModel.FLOAT, 1L, 4L, 1L, 1L);
        m.nodeIn(OnnxModel.NCHWC, "ReorderInput", new String[] {"x"}, new String[] {"y"});
        m.output("y", OnnxModel.FLOAT, 1L, "C", 1L, 1L);
        try (OrtSession s = env.createSession(m.toBytes("nchwc_probe"), o);
                OnnxTensor x = OnnxTensor.createTensor(env, new float[1][4][1][1]);
                OrtSession.Result r = s.run(Map.of("x", x))) {
            long[] shape = ((OnnxTensor) r.get(0)).getInfo().getShape();
            int b = (int) shape[1];
            return b > 4 ? b : 0;
        } catch (OrtException | RuntimeException e) {
            return 0;
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The NCHWc block size the training graphs run in, 0 when they run in the plain layout. */
    public int blockSize() {
        return block;
    }

    @Override
    public String name() {
        return frozen != null ? "onnxruntime-frozen" : block > 0 ? "onnxruntime-nchwc" + block : "onnxruntime";
    }

    private final class OrtPass implements Pass {
        final int h;
        final int w;
        final OnnxTensor x;
        final OrtSession.Result result;
        final float[] rgb;

        OrtPass(int h, int w, OnnxTensor x, OrtSession.Result result, float[] rgb) {
            this.h = h;
            this.w = w;
            this.x = x;
            this.result = result;
            this.rgb = rgb;
        }

        @Override
        public float[] rgb() {
            return rgb;
        }

        @Override
        public void close() {
            result.close();
            x.close();
        }
    }

    @Override
    public Pass forward(NeuralRenderer net, float[] features, int h, int w) {
        check(net);
        if (features.length != featureChannels * h * w) {
            throw new IllegalArgumentException("feature image has " + features.length + " floats, expected "
                    + featureChannels + "x" + h + "x" + w);
        }
        List<OnnxTensor> owned = new ArrayList<>();
        OnnxTensor x = null;
        try {
            x = tensor(features, 1, featureChannels, h, w);
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("x", x);
            if (frozen == null) {
                putWeights(net, in, owned, true, false);
            }
            OrtSession.Result r = forward.run(in);
            float[] rgb = floats(r.get("rgb").orElseThrow());
            return new OrtPass(h, w, x, r, rgb);
        } catch (OrtException e) {
            if (x != null) {
                x.close();
            }
            throw new IllegalStateException("ONNX Runtime forward pass failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    @Override
    public float[] backward(NeuralRenderer net, Pass pass, float[] vRgb, NeuralRenderer grads) {
        check(net);
        if (frozen != null) {
            throw new UnsupportedOperationException("a frozen ONNX Runtime renderer has no backward pass");
        }
        OrtPass p = (OrtPass) pass;
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("a0", p.x);
            for (int i = 1; i < net.layers.length; i++) {
                in.put("a" + i, (OnnxTensor) p.result.get("a" + i).orElseThrow());
            }
            in.put("rgb", (OnnxTensor) p.result.get("rgb").orElseThrow());
            OnnxTensor v = tensor(vRgb, 1, 3, p.h, p.w);
            owned.add(v);
            in.put("vrgb", v);
            putWeights(net, in, owned, false, block > 0);
            try (OrtSession.Result r = backward.run(in)) {
                for (int i = 0; i < net.layers.length; i++) {
                    add(grads.layers[i].weights, floats(r.get("gw" + i).orElseThrow()));
                    add(grads.layers[i].bias, floats(r.get("gb" + i).orElseThrow()));
                }
                return floats(r.get("vx").orElseThrow());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime backward pass failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    private void check(NeuralRenderer net) {
        if (frozen != null && net != frozen) {
            throw new IllegalArgumentException("this ONNX Runtime renderer was frozen with another renderer's weights");
        }
        if (net.featureChannels != featureChannels) {
            throw new IllegalArgumentException("engine built for " + featureChannels + " feature channels, renderer has "
                    + net.featureChannels);
        }
    }

    /**
     * Feeds the weights in the layout of this engine's graphs: forward weights and biases (plain, or blocked and
     * padded), or for a blocked backward the transposed-flipped input-gradient weights {@code wt*}; the plain
     * backward takes the plain forward weights. The tensors share the reusable direct buffers.
     */
    private void putWeights(NeuralRenderer net, Map<String, OnnxTensor> in, List<OnnxTensor> owned, boolean forwardPass,
            boolean gradientWeights) throws OrtException {
        for (int i = 0; i < net.layers.length; i++) {
            Conv2d c = net.layers[i];
            if (gradientWeights) {
                FloatBuffer wt = gradientWeightBuffers[i];
                BlockedWeights.inputGradient(c, block, wt);
                in.put("wt" + i, owned(owned, OnnxTensor.createTensor(env, wt, new long[] {
                        CnnGraphs.roundUp(c.inChannels, block), CnnGraphs.roundUp(c.outChannels, block), c.kernel,
                        c.kernel})));
                continue;
            }
            FloatBuffer wb = weightBuffers[i];
            long[] shape;
            if (block > 0) {
                BlockedWeights.forward(c, block, wb);
                shape = new long[] {CnnGraphs.roundUp(c.outChannels, block), CnnGraphs.roundUp(c.inChannels, block),
                        c.kernel, c.kernel};
            } else {
                wb.clear();
                wb.put(c.weights).flip();
                shape = new long[] {c.outChannels, c.inChannels, c.kernel, c.kernel};
            }
            in.put("w" + i, owned(owned, OnnxTensor.createTensor(env, wb, shape)));
            if (forwardPass) {
                FloatBuffer bb = biasBuffers[i];
                BlockedWeights.bias(c, Math.max(block, 1), bb);
                in.put("b" + i, owned(owned, OnnxTensor.createTensor(env, bb, new long[] {bb.remaining()})));
            }
        }
    }

    private static OnnxTensor owned(List<OnnxTensor> owned, OnnxTensor t) {
        owned.add(t);
        return t;
    }

    private OnnxTensor tensor(float[] data, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }

    private static float[] floats(OnnxValue v) {
        FloatBuffer b = ((OnnxTensor) v).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    private static void add(float[] into, float[] g) {
        if (into.length != g.length) {
            throw new IllegalStateException("gradient has " + g.length + " values, parameter " + into.length);
        }
        for (int i = 0; i < g.length; i++) {
            into[i] += g[i];
        }
    }

    @Override
    public void close() {
        try {
            if (System.getProperty(PROFILE_PROPERTY) != null) {
                forward.endProfiling();
                if (backward != null) {
                    backward.endProfiling();
                }
            }
            if (backward != null) {
                backward.close();
            }
            forward.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
