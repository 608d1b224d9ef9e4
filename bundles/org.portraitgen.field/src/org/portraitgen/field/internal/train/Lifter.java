package org.portraitgen.field.internal.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.loss.Adam;

/**
 * The lifting loop: trains a field on frames, holding every k-th frame out for validation, reporting progress,
 * writing a checkpoint every N steps and resuming from it after a kill. Batches are drawn from a generator seeded by
 * (seed, step), so a resumed run sees the same batches as an uninterrupted one.
 */
public final class Lifter {

    public record Settings(int steps, int batchSize, int holdoutEvery, int checkpointEvery, int validateEvery,
            long seed, LossWeights weights) {
        public Settings {
            if (steps < 1 || batchSize < 1 || checkpointEvery < 1 || validateEvery < 1) {
                throw new IllegalArgumentException("steps, batch size, checkpoint and validation intervals must be >= 1");
            }
        }
    }

    /** Progress events: loss every step, held-out PSNR at validation steps (NaN otherwise). */
    public interface Listener {
        void progress(long step, long steps, double loss, double heldOutPsnr);
    }

    public record Result(GaussianField field, long steps, double heldOutPsnr, boolean resumed) {
    }

    /** Makes the trainer of a field: the CPU {@link Trainer} or a device's (see {@link TrainingBackend}). */
    @FunctionalInterface
    public interface TrainerFactory {
        FieldTrainer create(GaussianField field, LossWeights weights);
    }

    private final TrainerFactory trainers;

    /** With the plain-Java CNN engine. */
    public Lifter(Workers workers) {
        this(workers, new JavaCnn(workers));
    }

    public Lifter(Workers workers, CnnEngine engine) {
        this((field, weights) -> new Trainer(field, weights, workers, engine));
    }

    public Lifter(TrainerFactory trainers) {
        this.trainers = trainers;
    }

    /** Frames whose index is a multiple of {@code holdoutEvery} are held out (none when it is 0). */
    public static boolean heldOut(int index, int holdoutEvery) {
        return holdoutEvery > 0 && index % holdoutEvery == holdoutEvery - 1;
    }

    /**
     * @param fresh      the field to start from when {@code checkpoint} does not exist yet
     * @param checkpoint where to resume from and save to
     */
    public Result lift(List<TrainingFrame> frames, GaussianField fresh, Path checkpoint, Settings s,
            Listener listener) throws IOException {
        List<TrainingFrame> train = new ArrayList<>();
        List<TrainingFrame> held = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            (heldOut(i, s.holdoutEvery()) ? held : train).add(frames.get(i));
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training frames left after holding out every "
                    + s.holdoutEvery() + "th of " + frames.size());
        }
        boolean resumed = Files.exists(checkpoint);
        GaussianField field = fresh;
        Checkpoints.Loaded loaded = null;
        if (resumed) {
            loaded = Checkpoints.read(checkpoint);
            field = loaded.field();
            if (field.binding.vertexCount != fresh.binding.vertexCount
                    || field.local.count != fresh.local.count) {
                throw new IOException("checkpoint " + checkpoint + " belongs to a different rig or density ("
                        + field.local.count + " Gaussians, " + field.binding.vertexCount + " vertices)");
            }
        }
        try (FieldTrainer trainer = trainers.create(field, s.weights())) {
            return lift(trainer, train, held, checkpoint, s, listener, loaded, resumed);
        }
    }

    private static Result lift(FieldTrainer trainer, List<TrainingFrame> train, List<TrainingFrame> held,
            Path checkpoint, Settings s, Listener listener, Checkpoints.Loaded loaded, boolean resumed)
            throws IOException {
        if (loaded != null) {
            Checkpoints.restore(loaded, trainer.optimiser());
        }
        double psnr = Double.NaN;
        for (long step = trainer.optimiser().step(); step < s.steps(); step++) {
            Random rnd = new Random(s.seed() * 1_000_003L + step);
            List<TrainingFrame> batch = new ArrayList<>();
            for (int b = 0; b < Math.min(s.batchSize(), train.size()); b++) {
                batch.add(train.get(rnd.nextInt(train.size())));
            }
            double loss = trainer.step(batch);
            long done = step + 1;
            boolean validate = done % s.validateEvery() == 0 || done == s.steps();
            if (validate && !held.isEmpty()) {
                psnr = validate(trainer, held);
            }
            if (listener != null) {
                listener.progress(done, s.steps(), loss, validate ? psnr : Double.NaN);
            }
            if (done % s.checkpointEvery() == 0 || done == s.steps()) {
                Adam adam = trainer.optimiser(); // first: a GPU trainer brings the field's parameters back here
                Checkpoints.write(checkpoint, trainer.field(), adam);
            }
        }
        if (held.isEmpty()) {
            psnr = Double.NaN;
        } else if (Double.isNaN(psnr)) {
            psnr = validate(trainer, held);
        }
        long steps = trainer.optimiser().step();
        return new Result(trainer.field(), steps, psnr, resumed);
    }

    static double validate(FieldTrainer trainer, List<TrainingFrame> held) {
        double sum = 0;
        for (TrainingFrame f : held) {
            sum += trainer.psnr(f);
        }
        return sum / held.size();
    }
}
