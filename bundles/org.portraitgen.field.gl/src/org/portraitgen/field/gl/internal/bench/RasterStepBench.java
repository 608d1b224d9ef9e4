package org.portraitgen.field.gl.internal.bench;

import static org.lwjgl.opengl.GL43C.glFinish;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The rasterizer inside a training step: GlBench's training row alone (batch of 10 at 512², ~35k Gaussians of the
 * training scene, GL_TIMESTAMP between GlTrainer's stage marks, summed over the batch), then the rasterizer on that
 * scene's posed frames by itself: tile pairs per frame, GPU time of project / intersect / rasterize / backward
 * (timestamps, one frame at a time, and ten frames queued back to back as a step does), and backward parity on the
 * CI scene and at 256². Uses only the rasterizer's long-standing methods, so that one build of this class times an
 * older field.gl jar too.
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.RasterStepBench [--quick] [steps]</pre>
 */
public final class RasterStepBench {
    private RasterStepBench() {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int steps = args.length > 0 && args[args.length - 1].matches("\\d+") ? Integer.parseInt(args[args.length - 1])
                : (quick ? 2 : 7);
        int size = quick ? 64 : 512;
        int gaussians = quick ? 2_000 : 35_000;
        int batch = quick ? 2 : 10;
        try (GlContext gl = GlContext.open()) {
            System.out.println("device: " + gl.capabilities().renderer() + " / " + gl.capabilities().version()
                    + "; subgroups property " + System.getProperty("portraitgen.gl.noSubgroups", "-"));
            int uv = (int) Math.round(Math.sqrt(gaussians));
            Scenes.TrainingScene scene = Scenes.trainingScene(size, 16, uv, 32, batch, 7);
            GaussianField field = scene.field();
            trainingStep(gl, scene, steps);
            rasterizerAlone(gl, field, scene, size, quick ? 3 : 30);
            System.out.println("backward parity, CI scene (2001 Gaussians, 67x45, C=8): "
                    + Parity.backward(gl, Scenes.random(2_001, 8, 200 + 2_001), Scenes.turnedCamera(67, 45), 2_001));
            int ps = quick ? 96 : 256;
            int pn = quick ? 2_000 : 50_000;
            System.out.println("forward parity, " + pn + " Gaussians " + ps + "², C=32: "
                    + Parity.forward(gl, Scenes.random(pn, 32, 11), Scenes.turnedCamera(ps, ps)));
            System.out.println("backward parity, " + pn + " Gaussians " + ps + "², C=32: "
                    + Parity.backward(gl, Scenes.random(pn, 32, 11), Scenes.turnedCamera(ps, ps), 3));
        }
    }

    private static void trainingStep(GlContext gl, Scenes.TrainingScene scene, int steps) {
        try (GlTrainer trainer = new GlTrainer(gl, scene.field(), LossWeights.portraitGen())) {
            trainer.step(scene.frames()); // uploads, compiles, grows buffers
            trainer.step(scene.frames());
            StepStages stages = new StepStages();
            trainer.setStageMarks(stages);
            double[] wall = new double[steps];
            for (int i = 0; i < steps; i++) {
                gl.call(() -> {
                    glFinish();
                    stages.begin();
                    return null;
                });
                long t0 = System.nanoTime();
                trainer.step(scene.frames());
                wall[i] = (System.nanoTime() - t0) / 1e6;
                gl.call(() -> {
                    stages.end();
                    return null;
                });
            }
            trainer.setStageMarks(null);
            Arrays.sort(wall);
            StringBuilder b = new StringBuilder();
            double sum = 0;
            for (Map.Entry<String, Double> e : stages.medians().entrySet()) {
                b.append(b.isEmpty() ? "" : ", ").append(String.format("%s %.2f", e.getKey(), e.getValue()));
                sum += e.getValue();
            }
            System.out.printf("training step, batch %d, %,d Gaussians: wall median %.1f ms of %d (min %.1f)%n",
                    scene.frames().size(), scene.field().local.count, wall[steps / 2], steps, wall[0]);
            System.out.printf("step stages, GPU ms per step (GL_TIMESTAMP, summed over the batch): total %.1f: %s%n",
                    sum, b);
        }
    }

    private static void rasterizerAlone(GlContext gl, GaussianField field, Scenes.TrainingScene scene, int size,
            int reps) {
        int channels = field.local.channels;
        Camera cam = GaussianField.cameraOf(scene.frames().get(0).state());
        int plane = cam.width() * cam.height();
        Random rnd = new Random(5);
        float[] vImage = new float[(channels + 2) * plane];
        for (int i = 0; i < vImage.length; i++) {
            vImage[i] = (float) (1e-3 * rnd.nextGaussian());
        }
        String out = gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl); GlBinding binding = new GlBinding(gl.shaders(),
                    field.binding); GlBuffer local = new GlBuffer("bench local parameters")) {
                local.upload(new GaussianLayout(field.local.count, channels).flatten(field.local));
                StringBuilder b = new StringBuilder("tile pairs per frame:");
                for (TrainingFrame f : scene.frames()) {
                    binding.pose(f.state().vertices(), "bench", local, channels, r);
                    r.forward(GaussianField.cameraOf(f.state()));
                    b.append(' ').append(r.intersections());
                }
                float[] v0 = scene.frames().get(0).state().vertices();
                binding.pose(v0, "bench", local, channels, r);
                r.forward(cam);
                r.imageGradients().upload(vImage);
                double[] gpu;
                try (StageTimer timer = new StageTimer(4, reps)) {
                    for (int i = 0; i < reps; i++) {
                        glFinish();
                        timer.mark();
                        r.projectGaussians(cam);
                        timer.mark();
                        r.intersectTiles();
                        timer.mark();
                        r.rasterizeToPixels();
                        timer.mark();
                        r.backwardOnGpu();
                        timer.mark();
                    }
                    gpu = timer.medians();
                }
                b.append(String.format("%nalone, frame 0 (GL_TIMESTAMP, median of %d, glFinish before each): project "
                        + "%.3f, intersect %.3f, rasterize %.3f, backward %.3f ms", reps, gpu[0], gpu[1], gpu[2],
                        gpu[3]));
                // as in a step: frames queued back to back, posing included, no glFinish in between
                int frames = scene.frames().size();
                double[] queued;
                try (StageTimer timer = new StageTimer(2, reps)) {
                    for (int i = 0; i < reps; i++) {
                        glFinish();
                        timer.mark();
                        for (TrainingFrame f : scene.frames()) {
                            binding.pose(f.state().vertices(), "bench", local, channels, r);
                            r.forward(GaussianField.cameraOf(f.state()));
                        }
                        timer.mark();
                        for (TrainingFrame f : scene.frames()) {
                            r.backwardOnGpu();
                        }
                        timer.mark();
                    }
                    queued = timer.medians();
                }
                b.append(String.format("%n%d frames queued back to back: pose + forward %.3f ms per frame, backward "
                        + "(last frame's, repeated) %.3f ms per frame", frames, queued[0] / frames,
                        queued[1] / frames));
                return b.toString();
            }
        });
        System.out.println(out);
    }
}
