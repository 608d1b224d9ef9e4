package org.portraitgen.edit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.FieldTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.Lifter;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The iterative dataset update: renders the field at the key frames, has them edited, trains the field on the
 * edits, and re-edits the current renders on the schedule's steps with a falling strength. Checkpoints (field with
 * optimiser state, plus the edited key frames) are written every {@code checkpointEvery} steps; a run that finds them
 * resumes, and batches come from a generator seeded by (seed, step), so a resumed run trains as an uninterrupted one.
 */
public final class EditLoop {
    /** Field checkpoint (with the optimiser's moments) in the checkpoint folder. */
    public static final String FIELD_CHECKPOINT = "edit-field.ckpt";
    /** The current edited key frames in the checkpoint folder. */
    public static final String TARGETS_CHECKPOINT = "edit-targets.bin";

    /** Edits one key frame's render; {@code strength} is the schedule's noise level, {@code round} the edit round. */
    public interface FrameEditor {
        FloatImage edit(int frame, RigState state, FloatImage render, FloatImage mask, double strength, int round)
                throws Exception;
    }

    /** Adjusts a round's edited key frames before training (expression guidance); the identity when switched off. */
    public interface Guidance {
        List<FloatImage> apply(List<Integer> frames, List<RigState> states, List<FloatImage> edited)
                throws Exception;
    }

    public interface Listener {
        void progress(long step, long steps, double loss, String what);
    }

    public record Settings(UpdateSchedule schedule, int batchSize, int checkpointEvery, long seed,
            LossWeights weights) {
        public Settings {
            if (batchSize < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("batch size and checkpoint interval must be >= 1");
            }
        }

        /**
         * PortraitGen's learning rates, with the Gaussians' positions frozen: an edit changes appearance, and moving
         * the Gaussians would let a 2D edit's inconsistencies bend the geometry (and the expression) instead.
         */
        public static LossWeights editingWeights() {
            return LossWeights.portraitGen().withPositionRate(0);
        }
    }

    public record Result(GaussianField field, long steps, int rounds, boolean resumed, EditTargets targets) {
    }

    private final CnnEngine engine;
    private final Lifter.TrainerFactory trainers;
    /** Renders the key frames for re-editing on the CPU, whatever device trains. */
    private final Rasterizer renderRasterizer;

    /** Trains on the CPU reference. */
    public EditLoop(Workers workers, CnnEngine engine) {
        this(workers, engine, (field, weights) -> new Trainer(field, weights, workers, engine));
    }

    /** Trains with {@code trainers} (the GPU's when a node chose it); renders for re-editing with {@code engine}. */
    public EditLoop(Workers workers, CnnEngine engine, Lifter.TrainerFactory trainers) {
        this.engine = engine;
        this.trainers = trainers;
        this.renderRasterizer = new Rasterizer(workers);
    }

    /**
     * @param states  every frame's rig state at the training resolution (key frames are picked from them)
     * @param masks   every frame's foreground mask at that resolution, or null
     * @param lifted  the field to start from when no checkpoint exists
     */
    public Result run(List<RigState> states, List<FloatImage> masks, GaussianField lifted, Path checkpoints,
            Settings s, FrameEditor editor, Guidance guidance, Listener listener) throws Exception {
        UpdateSchedule schedule = s.schedule();
        if (schedule.frameCount() != states.size()) {
            throw new IllegalArgumentException("the schedule is for " + schedule.frameCount() + " frames, the rig has "
                    + states.size());
        }
        List<Integer> keys = schedule.keyFrames();
        Path fieldFile = checkpoints.resolve(FIELD_CHECKPOINT);
        Path targetsFile = checkpoints.resolve(TARGETS_CHECKPOINT);
        boolean resumed = Files.exists(fieldFile) && Files.exists(targetsFile);
        GaussianField field = lifted;
        Checkpoints.Loaded loaded = null;
        EditTargets targets = null;
        if (resumed) {
            loaded = Checkpoints.read(fieldFile);
            field = loaded.field();
            if (field.local.count != lifted.local.count || field.binding.vertexCount != lifted.binding.vertexCount) {
                throw new IOException("edit checkpoint " + fieldFile + " belongs to another field ("
                        + field.local.count + " Gaussians)");
            }
            targets = EditTargets.read(targetsFile);
            if (!targets.frames().equals(keys)) {
                throw new IOException("edit checkpoint " + targetsFile + " holds key frames " + targets.frames()
                        + ", the schedule asks for " + keys);
            }
        }
        try (FieldTrainer trainer = trainers.create(field, s.weights())) {
            return train(trainer, loaded, schedule, keys, states, masks, targets, targetsFile, fieldFile, s, editor,
                    guidance, listener, resumed);
        }
    }

    private Result train(FieldTrainer trainer, Checkpoints.Loaded loaded, UpdateSchedule schedule, List<Integer> keys,
            List<RigState> states, List<FloatImage> masks, EditTargets targets, Path targetsFile, Path fieldFile,
            Settings s, FrameEditor editor, Guidance guidance, Listener listener, boolean resumed) throws Exception {
        if (loaded != null) {
            Checkpoints.restore(loaded, trainer.optimiser());
        }
        int rounds = 0;
        long start = trainer.optimiser().step();
        if (targets == null || targets.madeAt() < schedule.lastEditAt(start)) {
            targets = editRound(trainer, schedule, start, keys, states, masks, editor, guidance);
            rounds++;
        }
        List<TrainingFrame> data = dataset(keys, states, masks, targets);
        for (long step = start; step < schedule.steps(); step++) {
            if (step > start && schedule.editsAt(step)) {
                listener.progress(step, schedule.steps(), Double.NaN, "re-editing " + keys.size()
                        + " key frames at strength " + String.format("%.2f", schedule.strength(step)));
                targets = editRound(trainer, schedule, step, keys, states, masks, editor, guidance);
                data = dataset(keys, states, masks, targets);
                rounds++;
            }
            Random rnd = new Random(s.seed() * 1_000_003L + step);
            List<TrainingFrame> batch = new ArrayList<>();
            for (int b = 0; b < Math.min(s.batchSize(), data.size()); b++) {
                batch.add(data.get(rnd.nextInt(data.size())));
            }
            double loss = trainer.step(batch);
            long done = step + 1;
            listener.progress(done, schedule.steps(), loss, "step " + done + " of " + schedule.steps());
            if (done % s.checkpointEvery() == 0 || done == schedule.steps()) {
                // targets first: a field checkpoint never refers to targets that were not saved
                targets.write(targetsFile);
                Checkpoints.write(fieldFile, trainer.field(), trainer.optimiser());
            }
        }
        return new Result(trainer.field(), trainer.optimiser().step(), rounds, resumed, targets);
    }

    private EditTargets editRound(FieldTrainer trainer, UpdateSchedule schedule, long step, List<Integer> keys,
            List<RigState> states, List<FloatImage> masks, FrameEditor editor, Guidance guidance) throws Exception {
        double strength = schedule.strength(step);
        int round = schedule.round(step);
        List<FloatImage> edited = new ArrayList<>();
        List<RigState> keyStates = new ArrayList<>();
        for (int k : keys) {
            RigState state = states.get(k);
            keyStates.add(state);
            FloatImage render = render(trainer, state);
            edited.add(editor.edit(k, state, render, masks == null ? null : masks.get(k), strength, round));
        }
        List<FloatImage> guided = guidance.apply(keys, keyStates, edited);
        return new EditTargets(step, keys, guided);
    }

    /** The field's current render of a key frame (what PortraitGen re-edits). */
    private FloatImage render(FieldTrainer trainer, RigState state) {
        try (GaussianField.Frame fr = trainer.field().render(state, renderRasterizer, engine)) {
            return new FloatImage(fr.camera().width(), fr.camera().height(), 3, fr.rgb().clone());
        }
    }

    private static List<TrainingFrame> dataset(List<Integer> keys, List<RigState> states, List<FloatImage> masks,
            EditTargets targets) {
        List<TrainingFrame> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            int k = keys.get(i);
            out.add(new TrainingFrame(states.get(k), targets.images().get(i), masks == null ? null : masks.get(k)));
        }
        return out;
    }
}
