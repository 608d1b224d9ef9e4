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

    /**
     * Frames one {@link #forward(GlBuffer[], int, int, int)} or {@link #backward(GlBuffer[], int)} takes: each frame
     * slot keeps its activations from its forward to its backward.
     */
    default int frameSlots() {
        return 1;
    }

    /** {@link #frameSlots()} for frames of size {@code h} x {@code w}, within the memory the device can give them. */
    default int frameSlots(int h, int w) {
        return frameSlots();
    }

    /**
     * Forward of the [C, H, W] feature images {@code features[0 .. frames - 1]} (all of one size), frame k in slot k;
     * the RGB stays in {@link #rgb(int)}.
     */
    void forward(GlBuffer[] features, int frames, int h, int w);

    /** Forward of one frame, in slot 0. */
    default void forward(GlBuffer features, int h, int w) {
        forward(new GlBuffer[] {features}, 1, h, w);
    }

    /** The RGB [3, H, W] of slot {@code slot}'s last forward. */
    GlBuffer rgb(int slot);

    default GlBuffer rgb() {
        return rgb(0);
    }

    /**
     * Backward of slots 0 to {@code frames - 1} from their last forward and dL/dRGB [3, H, W] in {@code vRgb[k]}:
     * adds the parameter gradients into {@link #gradients()}, leaves dL/dfeatures in {@link #featureGradient(int)}.
     */
    void backward(GlBuffer[] vRgb, int frames);

    default void backward(GlBuffer vRgb) {
        backward(new GlBuffer[] {vRgb}, 1);
    }

    /** dL/dfeatures [C, H, W] of slot {@code slot}'s last backward. */
    GlBuffer featureGradient(int slot);

    default GlBuffer featureGradient() {
        return featureGradient(0);
    }

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
