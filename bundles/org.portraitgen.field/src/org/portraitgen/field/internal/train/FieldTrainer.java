package org.portraitgen.field.internal.train;

import java.util.List;

import org.portraitgen.field.internal.loss.Adam;

/**
 * One optimisation step at a time on a batch of frames. {@link Trainer} is the CPU reference; a GPU service
 * provides another through {@link TrainingBackend}. The {@link Lifter} sees only this.
 */
public interface FieldTrainer extends AutoCloseable {
    /** The field being trained, with its current parameters (a GPU trainer brings them back first). */
    GaussianField field();

    /**
     * The optimiser's state for checkpoints, current as of the last step; changes made to it (a restored checkpoint)
     * are what the next step starts from.
     */
    Adam optimiser();

    /** Runs one step; returns the mean loss over the batch. */
    double step(List<TrainingFrame> batch);

    /** PSNR of the field's render of a frame against its target, in dB. */
    double psnr(TrainingFrame f);

    @Override
    default void close() {
    }
}
