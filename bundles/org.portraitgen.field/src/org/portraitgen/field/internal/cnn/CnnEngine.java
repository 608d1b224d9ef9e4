package org.portraitgen.field.internal.cnn;

/**
 * Runs a {@link NeuralRenderer}'s forward and backward passes. The weights stay in the {@link NeuralRenderer} (the
 * optimiser's and the checkpoint's view); an engine only computes with them, so engines are interchangeable and the
 * plain-Java one ({@link JavaCnn}) is the test oracle of the others.
 */
public interface CnnEngine extends AutoCloseable {

    /** What a forward pass keeps for its backward pass; close it when done (it may hold native memory). */
    interface Pass extends AutoCloseable {
        /** RGB [3, H, W] in (0, 1). */
        float[] rgb();

        @Override
        default void close() {
        }
    }

    String name();

    /** @param features [C, H, W] planar */
    Pass forward(NeuralRenderer net, float[] features, int h, int w);

    /** Adds parameter gradients into {@code grads} and returns dL/dfeatures [C, H, W]. */
    float[] backward(NeuralRenderer net, Pass pass, float[] vRgb, NeuralRenderer grads);

    @Override
    default void close() {
    }
}
