package org.portraitgen.field.internal.train;

/**
 * Implemented by a {@code GaussianFieldService} that trains on its own device (the GPU service): {@code field.lift}
 * asks the best-ranked service for a trainer and falls back to the CPU {@link Trainer} when it is not one of these
 * or declines.
 */
public interface TrainingBackend {
    /** A trainer of {@code field} on this backend; throws (saying why) when the backend cannot train it. */
    FieldTrainer trainer(GaussianField field, LossWeights weights);

    /** The device, for the log ("gl: NVIDIA H100 ..."). */
    String device();
}
