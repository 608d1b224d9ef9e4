package org.portraitgen.field.internal.cnn;

import org.portraitgen.field.internal.Workers;

/** The plain-Java engine: register-blocked convolutions on the field's worker pool. The reference for the others. */
public final class JavaCnn implements CnnEngine {
    private final Workers workers;

    public JavaCnn(Workers workers) {
        this.workers = workers;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Pass forward(NeuralRenderer net, float[] features, int h, int w) {
        return net.forward(features, h, w, workers);
    }

    @Override
    public float[] backward(NeuralRenderer net, Pass pass, float[] vRgb, NeuralRenderer grads) {
        return net.backward((NeuralRenderer.Trace) pass, vRgb, grads, workers);
    }
}
