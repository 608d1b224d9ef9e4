package org.portraitgen.field.gl.internal.cnn;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * {@link CnnEngine} on the GPU for callers holding host images (the render path, the parity tests): uploads the
 * renderer's current weights and the features, runs {@link GlCnn} on the GL thread, reads the results back. One
 * pass at a time: the GPU keeps the activations of the latest forward only, and a backward of an older pass is
 * refused rather than computed from the wrong activations.
 */
public final class GlCnnEngine implements CnnEngine {
    private final GlContext gl;
    private final GlCnn cnn;
    private final GlBuffer features;
    private long passes;

    public GlCnnEngine(GlContext gl, int featureChannels) {
        this.gl = gl;
        this.cnn = gl.call(() -> new GlCnn(gl.shaders(), featureChannels));
        this.features = new GlBuffer("CNN input features");
    }

    private record GlPass(long id, int height, int width, float[] rgb) implements Pass {
    }

    @Override
    public String name() {
        return "gl";
    }

    @Override
    public synchronized Pass forward(NeuralRenderer net, float[] input, int h, int w) {
        if (input.length != net.featureChannels * h * w) {
            throw new IllegalArgumentException("feature image has " + input.length + " floats, expected "
                    + net.featureChannels + "x" + h + "x" + w);
        }
        float[] rgb = gl.call(() -> {
            cnn.uploadParameters(net);
            features.upload(input);
            cnn.forward(features, h, w);
            return cnn.rgb().readFloats(3 * h * w);
        });
        return new GlPass(++passes, h, w, rgb);
    }

    @Override
    public synchronized float[] backward(NeuralRenderer net, Pass pass, float[] vRgb, NeuralRenderer grads) {
        if (!(pass instanceof GlPass p) || p.id() != passes) {
            throw new IllegalStateException("the GPU CNN keeps the activations of its latest forward only");
        }
        return gl.call(() -> {
            cnn.zeroGradients();
            cnn.backward(vRgb);
            cnn.addGradientsTo(grads);
            return cnn.featureGradient().readFloats(net.featureChannels * p.height() * p.width());
        });
    }

    @Override
    public void close() {
        gl.call(() -> {
            cnn.close();
            features.close();
            return null;
        });
    }
}
