package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.bind.UvSampler;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.Lifter;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.NonFiniteException;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingFrame;

class LiftTest {
    private static final int SIZE = 24;
    private static Workers workers;

    @BeforeAll
    static void start() {
        workers = new Workers(2);
    }

    @AfterAll
    static void stop() {
        workers.close();
    }

    /**
     * Ground truth: known Gaussians bound to the sphere rig, coloured by a smooth function of their UV position,
     * rendered by the rasterizer with features 0–2 as RGB; the mask is the rendered alpha.
     */
    static List<TrainingFrame> syntheticFrames(SphereRig rig, int frames) {
        return syntheticFrames(rig, frames, workers);
    }

    static List<TrainingFrame> syntheticFrames(SphereRig rig, int frames, Workers workers) {
        TriangleBinding b = UvSampler.sample(rig.vertexCount(), rig.triangles(), rig.uvs(), 14);
        GaussianField truth = GaussianField.initialise(b, rig.state(0).vertices(), 3, 5);
        Gaussians g = truth.local;
        for (int i = 0; i < g.count; i++) {
            double u = (b.triangleOf[i] % 12) / 12.0;
            double v = (b.triangleOf[i] / 12) / 8.0;
            g.features[3 * i] = 0.5 + 0.4 * Math.sin(6 * u);
            g.features[3 * i + 1] = 0.5 + 0.4 * Math.cos(5 * v);
            g.features[3 * i + 2] = 0.3 + 0.3 * u * v;
            g.opacityLogits[i] = 3;
        }
        Rasterizer rasterizer = new Rasterizer(workers);
        List<TrainingFrame> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            RigState s = rig.state(f);
            TriangleFrames tf = TriangleFrames.of(s.vertices(), b.triangles, b.vertexCount, "truth");
            RasterImage img = rasterizer.forward(b.toWorld(g, s.vertices(), tf), GaussianField.cameraOf(s));
            int size = s.camera().width();
            float[] rgb = new float[3 * size * size];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (float) Math.min(1, Math.max(0, img.features[i]));
            }
            float[] mask = new float[size * size];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (float) img.alpha[i];
            }
            out.add(new TrainingFrame(s, new FloatImage(size, size, 3, rgb), new FloatImage(size, size, 1, mask)));
        }
        return out;
    }

    private static GaussianField fresh(SphereRig rig) {
        TriangleBinding b = UvSampler.sample(rig.vertexCount(), rig.triangles(), rig.uvs(), 12);
        return GaussianField.initialise(b, rig.state(0).vertices(), 32, 9);
    }

    private static Lifter.Settings settings(int steps) {
        return new Lifter.Settings(steps, 2, 4, 2, 20, 17, LossWeights.portraitGen());
    }

    @Test
    void syntheticSceneIsRecoveredOnHeldOutViews(@TempDir Path dir) throws IOException {
        SphereRig rig = new SphereRig(8, 12, 12, SIZE);
        List<TrainingFrame> frames = syntheticFrames(rig, 12);
        GaussianField field = fresh(rig);
        Trainer before = new Trainer(field, LossWeights.portraitGen(), workers);
        double initial = before.psnr(frames.get(3));
        List<String> log = new ArrayList<>();
        Lifter.Result r = new Lifter(workers).lift(frames, field, dir.resolve("field.ckpt"), settings(120),
                (step, steps, loss, psnr) -> {
                    if (!Double.isNaN(psnr)) {
                        log.add(String.format("step %d loss %.4f held-out PSNR %.2f dB", step, loss, psnr));
                    }
                });
        log.forEach(System.out::println);
        System.out.printf("synthetic recovery: held-out PSNR %.2f dB after %d steps (initial %.2f dB)%n",
                r.heldOutPsnr(), r.steps(), initial);
        assertEquals(120, r.steps());
        // measured 24.8 dB on 2 cores (deterministic for any thread count); the bound leaves room for JIT/libm
        assertTrue(r.heldOutPsnr() > 22, "held-out PSNR " + r.heldOutPsnr());
        assertTrue(r.heldOutPsnr() > initial + 8, "training must improve held-out views");
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
        SphereRig rig = new SphereRig(3, 5, 6, 16);
        List<TrainingFrame> frames = new ArrayList<>();
        for (TrainingFrame f : syntheticFramesAt(rig, 6)) {
            frames.add(f);
        }
        Lifter lifter = new Lifter(workers);
        Lifter.Result straight = lifter.lift(frames, fresh(rig), dir.resolve("a.ckpt"), settings(4), null);
        Path b = dir.resolve("b.ckpt");
        lifter.lift(frames, fresh(rig), b, settings(2), null); // "killed" after step 2's checkpoint
        Lifter.Result resumed = lifter.lift(frames, fresh(rig), b, settings(4), null);
        assertTrue(resumed.resumed());
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(straight.field().local.groups()[k], resumed.field().local.groups()[k]);
        }
        for (int k = 0; k < straight.field().renderer.parameters().length; k++) {
            assertArrayEquals(straight.field().renderer.parameters()[k], resumed.field().renderer.parameters()[k]);
        }
    }

    private static List<TrainingFrame> syntheticFramesAt(SphereRig rig, int n) {
        return syntheticFrames(rig, n).stream().map(f -> f).toList();
    }

    @Test
    void corruptCheckpointIsRejectedWithAClearError(@TempDir Path dir) throws IOException {
        SphereRig rig = new SphereRig(3, 5, 1, 16);
        Path p = dir.resolve("c.ckpt");
        Checkpoints.write(p, fresh(rig), null);
        Checkpoints.Loaded ok = Checkpoints.read(p);
        assertEquals(fresh(rig).local.count, ok.field().local.count);
        byte[] bytes = Files.readAllBytes(p);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(p, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(p));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        Files.write(p, java.util.Arrays.copyOf(bytes, 10));
        e = assertThrows(IOException.class, () -> Checkpoints.read(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void nonFiniteValuesStopTrainingAndKeepTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        SphereRig rig = new SphereRig(3, 5, 4, 16);
        List<TrainingFrame> frames = syntheticFrames(rig, 4);
        Path p = dir.resolve("n.ckpt");
        new Lifter(workers).lift(frames, fresh(rig), p, settings(2), null);
        GaussianField field = Checkpoints.read(p).field();
        field.local.features[5] = Double.NaN;
        Trainer trainer = new Trainer(field, LossWeights.portraitGen(), workers);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> trainer.step(frames.subList(0, 2)));
        System.out.println("non-finite stop: " + e.getMessage());
        Checkpoints.Loaded last = Checkpoints.read(p);
        assertEquals(2, last.adamStep());
        assertTrue(Double.isFinite(last.field().local.features[5]));
    }

    @Test
    void shapeMismatchesAreRejected() {
        SphereRig rig = new SphereRig(3, 5, 1, 16);
        RigState s = rig.state(0);
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingFrame(s, new FloatImage(15, 16, 3), null), "image size vs camera");
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingFrame(s, new FloatImage(16, 16, 3), new FloatImage(16, 16, 3)), "mask channels");
        GaussianField field = fresh(rig);
        RigState wrong = new RigState(0, s.camera(), new float[9], new float[0], true);
        try (Workers one = new Workers(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> field.render(wrong, new Rasterizer(one), one));
            assertTrue(e.getMessage().contains("vertices"), e.getMessage());
        }
    }
}
