package org.portraitgen.field.internal.ort;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** @param threads ORT intra-op threads (the machine's cores; the field's own pool is idle meanwhile) */
    public OrtCnn(int featureChannels, int threads) {
        this(new NeuralRenderer(featureChannels), threads, false);
    }

    /**
     * A forward-only engine for one renderer whose weights no longer change (rendering a lifted field): the weights
     * are baked into the session, which lets ONNX Runtime pre-pack them. Its {@link #backward} refuses.
     */
    public static OrtCnn frozen(NeuralRenderer net, int threads) {
        return new OrtCnn(net, threads, true);
    }

    private OrtCnn(NeuralRenderer shape, int threads, boolean frozen) {
        this.featureChannels = shape.featureChannels;
        this.frozen = frozen ? shape : null;
        try {
            env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(threads);
                o.setInterOpNumThreads(1);
                o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                forward = env.createSession(CnnGraphs.forward(shape, frozen), o);
                backward = frozen ? null : env.createSession(CnnGraphs.backward(shape), o);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not build the neural renderer's sessions: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return frozen == null ? "onnxruntime" : "onnxruntime-frozen";
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
                putWeights(net, in, owned, true);
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
            putWeights(net, in, owned, false);
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

    private void putWeights(NeuralRenderer net, Map<String, OnnxTensor> in, List<OnnxTensor> owned, boolean bias)
            throws OrtException {
        for (int i = 0; i < net.layers.length; i++) {
            Conv2d c = net.layers[i];
            OnnxTensor wt = tensor(c.weights, c.outChannels, c.inChannels, c.kernel, c.kernel);
            owned.add(wt);
            in.put("w" + i, wt);
            if (bias) {
                OnnxTensor bt = tensor(c.bias, c.outChannels);
                owned.add(bt);
                in.put("b" + i, bt);
            }
        }
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
            if (backward != null) {
                backward.close();
            }
            forward.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
