package org.portraitgen.field.gl.internal.cnn;

import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The neural renderer as the GL trainer drives it: parameters and gradients are flat fp32 GL buffers in the order of
 * {@link NeuralRenderer#parameters()} (Adam and the finite checks run on them in GL), images are planar fp32 GL
 * buffers. Implemented by the GL CNN ({@link GlCnn}) and by the Vulkan one on the tensor cores. Methods run on the
 * GL thread.
 */
public interface TrainerCnn extends AutoCloseable {
    /** What runs the CNN, for logs and benchmark tables. */
    String describe();

    int parameterCount();

    GlBuffer parameters();

    GlBuffer gradients();

    void uploadParameters(NeuralRenderer net);

    /** Copies the GPU's parameters into {@code net}. */
    void downloadParameters(NeuralRenderer net);

    void zeroGradients();

    /** Forward of the [C, H, W] feature image in {@code features}; the RGB stays in {@link #rgb()}. */
    void forward(GlBuffer features, int h, int w);

    /** The RGB [3, H, W] of the last forward. */
    GlBuffer rgb();

    /**
     * Backward of the last forward from dL/dRGB [3, H, W]: adds the parameter gradients into {@link #gradients()},
     * leaves dL/dfeatures in {@link #featureGradient()}.
     */
    void backward(GlBuffer vRgb);

    /** dL/dfeatures [C, H, W] of the last backward. */
    GlBuffer featureGradient();

    /** GPU memory held, bytes. */
    long bufferBytes();

    @Override
    void close();

    static float[] flatten(NeuralRenderer net) {
        float[] flat = new float[net.parameterCount()];
        int o = 0;
        for (float[] a : net.parameters()) {
            System.arraycopy(a, 0, flat, o, a.length);
            o += a.length;
        }
        return flat;
    }

    static void unflatten(float[] flat, NeuralRenderer net) {
        int o = 0;
        for (float[] a : net.parameters()) {
            System.arraycopy(flat, o, a, 0, a.length);
            o += a.length;
        }
    }
}
