package org.portraitgen.edit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.UvSampler;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.GaussianField;

/** The loop on a 16x16 plane: its edit schedule, that it learns the edits, and that a killed run resumes exactly. */
class EditLoopTest {
    static final int FRAMES = 5;
    static final int SIZE = 16;

    @TempDir
    Path dir;

    final PlaneRig rig = new PlaneRig(3, SIZE);
    final List<RigState> states = rig.states(FRAMES);

    GaussianField lifted() {
        var binding = UvSampler.sample(rig.vertexCount(), rig.triangles(), rig.uvs(), 8);
        return GaussianField.initialise(binding, rig.state(0).vertices(), 32, 7);
    }

    /** Records each call and paints the render towards orange by the given strength (as weight-free editors do). */
    static final class Orange implements EditLoop.FrameEditor {
        final List<String> calls = new ArrayList<>();

        @Override
        public FloatImage edit(int frame, RigState state, FloatImage render, FloatImage mask, double strength,
                int round) {
            calls.add(frame + "@" + round + ":" + Math.round(strength * 100));
            FloatImage out = render.copy();
            float[] orange = {1f, 0.5f, 0f};
            int plane = render.planeSize();
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    out.data()[c * plane + i] = (float) ((1 - strength) * render.data()[c * plane + i]
                            + strength * orange[c]);
                }
            }
            return out;
        }
    }

    EditLoop.Settings settings(int steps) {
        return new EditLoop.Settings(new UpdateSchedule(FRAMES, 2, steps, 3, 0.8, 0.5), 1, 2, 3,
                EditLoop.Settings.editingWeights());
    }

    static double orangeError(GaussianField f, RigState s) {
        try (Workers w = new Workers(1);
                GaussianField.Frame fr = f.render(s, new Rasterizer(w), new JavaCnn(w))) {
            float[] rgb = fr.rgb();
            int plane = rgb.length / 3;
            float[] orange = {1f, 0.5f, 0f};
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    sum += Math.abs(rgb[c * plane + i] - orange[c]);
                }
            }
            return sum / rgb.length;
        }
    }

    @Test
    void editsKeyFramesThenReEditsOnScheduleWithFallingStrengthAndLearnsTheEdit() throws Exception {
        Orange editor = new Orange();
        GaussianField start = lifted();
        double before = orangeError(start, states.get(1));
        try (Workers w = new Workers(1)) {
            EditLoop.Result r = new EditLoop(w, new JavaCnn(w)).run(states, null, start, dir, settings(24), editor,
                    (frames, st, edited) -> edited, (step, steps, loss, what) -> { });
            assertEquals(24, r.steps());
            assertFalse(r.resumed());
            // key frames 0, 2, 4; edits at steps 0 (full), 3, 6, ... 21 with the noise level falling 0.8 -> 0.5
            assertEquals(List.of("0@0:100", "2@0:100", "4@0:100"), editor.calls.subList(0, 3));
            assertEquals(List.of("0@1:76", "2@1:76", "4@1:76"), editor.calls.subList(3, 6));
            assertEquals(3 * 8, editor.calls.size());
            assertEquals("4@7:54", editor.calls.get(editor.calls.size() - 1));
            // frame 1 is no key frame: the field carries the edit there
            double after = orangeError(r.field(), states.get(1));
            assertTrue(after < 0.6 * before, "orange error " + before + " -> " + after);
        }
    }

    @Test
    void killedRunResumesFromItsCheckpointAsIfUninterrupted() throws Exception {
        GaussianField whole;
        try (Workers w = new Workers(1)) {
            whole = new EditLoop(w, new JavaCnn(w)).run(states, null, lifted(), dir.resolve("a"), settings(8),
                    new Orange(), (f, s, e) -> e, (step, steps, loss, what) -> { }).field();
        }
        Path b = dir.resolve("b");
        try (Workers w = new Workers(1)) {
            assertThrows(IllegalStateException.class, () -> new EditLoop(w, new JavaCnn(w)).run(states, null,
                    lifted(), b, settings(8), new Orange(), (f, s, e) -> e, (step, steps, loss, what) -> {
                        if (step == 5) {
                            throw new IllegalStateException("killed");
                        }
                    }));
        }
        assertTrue(Files.exists(b.resolve(EditLoop.FIELD_CHECKPOINT)));
        assertEquals(3, EditTargets.read(b.resolve(EditLoop.TARGETS_CHECKPOINT)).madeAt()); // saved at step 4
        Orange second = new Orange();
        EditLoop.Result resumed;
        try (Workers w = new Workers(1)) {
            resumed = new EditLoop(w, new JavaCnn(w)).run(states, null, lifted(), b, settings(8), second,
                    (f, s, e) -> e, (step, steps, loss, what) -> { });
        }
        assertTrue(resumed.resumed());
        assertEquals(List.of("0@2:57", "2@2:57", "4@2:57"), second.calls); // only the re-edit at step 6 is redone
        assertArrayEquals(whole.local.features, resumed.field().local.features);
        assertArrayEquals(whole.renderer.parameters()[0], resumed.field().renderer.parameters()[0]);
    }

    @Test
    void corruptTargetsCheckpointIsRefusedByName() throws Exception {
        Path f = dir.resolve(EditLoop.TARGETS_CHECKPOINT);
        new EditTargets(3, List.of(0, 2), List.of(new FloatImage(2, 2, 3), new FloatImage(2, 2, 3))).write(f);
        assertEquals(List.of(0, 2), EditTargets.read(f).frames());
        byte[] bytes = Files.readAllBytes(f);
        bytes[20] ^= 1;
        Files.write(f, bytes);
        var e = assertThrows(java.io.IOException.class, () -> EditTargets.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
    }
}
