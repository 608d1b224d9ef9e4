package org.portraitgen.field.internal.cnn;

import java.util.Arrays;
import java.util.Random;

import org.portraitgen.field.internal.Workers;

/**
 * PortraitGen's neural renderer: five 3x3 conv + ReLU layers (C → 128 → 64 → 32 → 32 → 32, C = 32 by default), a
 * 1x1 conv to RGB and a sigmoid, zero padding, on planar float images. An instance with zero weights also serves as
 * the gradient accumulator of another (see {@link #parameters()}).
 */
public final class NeuralRenderer {
    static final int[] HIDDEN = {128, 64, 32, 32, 32};

    public final int featureChannels;
    public final Conv2d[] layers;

    /** Weights and biases of a renderer for {@code featureChannels} inputs, counted without allocating them. */
    public static long parameterCount(int featureChannels) {
        long count = 0;
        long in = featureChannels;
        for (int hidden : HIDDEN) {
            count += in * hidden * 3 * 3 + hidden;
            in = hidden;
        }
        return count + in * 3 + 3;
    }

    /** Zero weights (a gradient holder). */
    public NeuralRenderer(int featureChannels) {
        this.featureChannels = featureChannels;
        layers = new Conv2d[HIDDEN.length + 1];
        int in = featureChannels;
        for (int i = 0; i < HIDDEN.length; i++) {
            layers[i] = new Conv2d(in, HIDDEN[i], 3);
            in = HIDDEN[i];
        }
        layers[HIDDEN.length] = new Conv2d(in, 3, 1);
    }

    /** PyTorch's default initialisation (uniform ±1/sqrt(fan in) for weights and biases), seeded. */
    public static NeuralRenderer initialised(int featureChannels, long seed) {
        NeuralRenderer r = new NeuralRenderer(featureChannels);
        Random rnd = new Random(seed);
        for (Conv2d c : r.layers) {
            double bound = 1 / Math.sqrt(c.inChannels * c.kernel * c.kernel);
            for (int i = 0; i < c.weights.length; i++) {
                c.weights[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
            }
            for (int i = 0; i < c.bias.length; i++) {
                c.bias[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
            }
        }
        return r;
    }

    /** Weights and biases of every layer, in a fixed order: the optimiser's and the checkpoint's view. */
    public float[][] parameters() {
        float[][] p = new float[2 * layers.length][];
        for (int i = 0; i < layers.length; i++) {
            p[2 * i] = layers[i].weights;
            p[2 * i + 1] = layers[i].bias;
        }
        return p;
    }

    public void zero() {
        for (float[] p : parameters()) {
            Arrays.fill(p, 0);
        }
    }

    public int parameterCount() {
        int n = 0;
        for (float[] p : parameters()) {
            n += p.length;
        }
        return n;
    }

    /** The inputs of every layer, kept for the backward pass, and the RGB output [3, H, W] in (0, 1). */
    public record Trace(int height, int width, float[][] layerInputs, float[] rgb) implements CnnEngine.Pass {
    }

    public Trace forward(float[] features, int h, int w, Workers workers) {
        if (features.length != featureChannels * h * w) {
            throw new IllegalArgumentException("feature image has " + features.length + " floats, expected "
                    + featureChannels + "x" + h + "x" + w);
        }
        float[][] inputs = new float[layers.length][];
        float[] x = features;
        for (int i = 0; i < layers.length; i++) {
            inputs[i] = x;
            x = layers[i].forward(x, h, w, workers);
            if (i < layers.length - 1) {
                relu(x);
            }
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (1 / (1 + Math.exp(-x[i])));
        }
        return new Trace(h, w, inputs, x);
    }

    /** Adds parameter gradients into {@code grads} and returns dL/dfeatures [C, H, W]. */
    public float[] backward(Trace trace, float[] vRgb, NeuralRenderer grads, Workers workers) {
        int h = trace.height();
        int w = trace.width();
        float[] g = new float[vRgb.length];
        float[] rgb = trace.rgb();
        for (int i = 0; i < g.length; i++) {
            g[i] = vRgb[i] * rgb[i] * (1 - rgb[i]);
        }
        for (int i = layers.length - 1; i >= 0; i--) {
            Conv2d layer = layers[i];
            Conv2d gl = grads.layers[i];
            g = layer.backward(trace.layerInputs()[i], g, h, w, gl.weights, gl.bias, true, workers);
            if (i > 0) {
                // the input of layer i is ReLU(pre-activation): it is positive exactly where the gradient passes
                float[] a = trace.layerInputs()[i];
                for (int k = 0; k < g.length; k++) {
                    if (a[k] <= 0) {
                        g[k] = 0;
                    }
                }
            }
        }
        return g;
    }

    private static void relu(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0) {
                x[i] = 0;
            }
        }
    }
}
