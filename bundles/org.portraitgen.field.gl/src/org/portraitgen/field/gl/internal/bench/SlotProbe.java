package org.portraitgen.field.gl.internal.bench;

import static org.lwjgl.opengl.GL43C.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * Where a training step's rasterizer phase goes when its frames are queued back to back (as GlTrainer does with
 * the CNN's frame slots): GPU time (GL_TIMESTAMP, first to last command) and host time of posing + a queued forward
 * for a batch of 10 at 512² on the training scene, with one rasterizer for every frame or one per frame, with and
 * without the targets uploaded between frames.
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.SlotProbe [--quick]</pre>
 */
public final class SlotProbe {
    private SlotProbe() {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int size = quick ? 64 : 512;
        int batch = quick ? 2 : 10;
        int reps = quick ? 3 : 25;
        int uv = (int) Math.round(Math.sqrt(quick ? 2_000 : 35_000));
        Scenes.TrainingScene scene = Scenes.trainingScene(size, 16, uv, 32, batch, 7);
        GaussianField field = scene.field();
        List<TrainingFrame> frames = scene.frames();
        try (GlContext gl = GlContext.open()) {
            System.out.println("device: " + gl.capabilities().renderer() + "; " + field.local.count
                    + " Gaussians, batch " + batch + " at " + size + "²\n");
            System.out.println("| rasterizers | targets uploaded between frames | GPU ms (median) | host ms (median) |");
            System.out.println("|---|---|---|---|");
            gl.call(() -> {
                List<GlRasterizer> rasterizers = new ArrayList<>();
                List<GlBinding> bindings = new ArrayList<>();
                List<GlBuffer> targets = new ArrayList<>();
                try (GlBuffer local = new GlBuffer("probe local parameters")) {
                    local.upload(new GaussianLayout(field.local.count, 32).flatten(field.local));
                    for (int k = 0; k < batch; k++) {
                        rasterizers.add(new GlRasterizer(gl));
                        bindings.add(new GlBinding(gl.shaders(), field.binding));
                        targets.add(new GlBuffer("probe target " + k));
                    }
                    for (boolean perFrame : new boolean[] {false, true, false, true}) {
                        for (boolean uploads : new boolean[] {false, true}) {
                            double[][] t = time(gl, frames, local, rasterizers, bindings, targets, perFrame, uploads,
                                    reps);
                            System.out.printf("| %s | %s | %.3f | %.3f |%n", perFrame ? "one per frame" : "one",
                                    uploads ? "yes" : "no", t[0][reps / 2], t[1][reps / 2]);
                        }
                    }
                } finally {
                    rasterizers.forEach(GlRasterizer::close);
                    bindings.forEach(GlBinding::close);
                    targets.forEach(GlBuffer::close);
                }
                return null;
            });
        }
    }

    private static double[][] time(GlContext gl, List<TrainingFrame> frames, GlBuffer local,
            List<GlRasterizer> rasterizers, List<GlBinding> bindings, List<GlBuffer> targets, boolean perFrame,
            boolean uploads, int reps) {
        double[] gpu = new double[reps];
        double[] host = new double[reps];
        int[] q = new int[2];
        for (int r = -2; r < reps; r++) {
            glFinish();
            glGenQueries(q);
            glQueryCounter(q[0], GL_TIMESTAMP);
            long t0 = System.nanoTime();
            for (int k = 0; k < frames.size(); k++) {
                int slot = perFrame ? k : 0;
                TrainingFrame f = frames.get(k);
                bindings.get(slot).resetStatus();
                bindings.get(slot).pose(f.state().vertices(), "frame " + k, local, 32, rasterizers.get(slot));
                rasterizers.get(slot).queueForward(GaussianField.cameraOf(f.state()));
                if (uploads) {
                    targets.get(k).upload(f.rgb().data());
                }
            }
            long t1 = System.nanoTime();
            glQueryCounter(q[1], GL_TIMESTAMP);
            glFinish();
            for (GlRasterizer rz : rasterizers) {
                rz.pairsFitSinceLastCheck();
            }
            if (r >= 0) {
                gpu[r] = (glGetQueryObjectui64(q[1], GL_QUERY_RESULT) - glGetQueryObjectui64(q[0], GL_QUERY_RESULT))
                        / 1e6;
                host[r] = (t1 - t0) / 1e6;
            }
            glDeleteQueries(q);
        }
        Arrays.sort(gpu);
        Arrays.sort(host);
        return new double[][] {gpu, host};
    }
}
