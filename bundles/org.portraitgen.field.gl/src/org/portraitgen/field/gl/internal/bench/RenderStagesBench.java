package org.portraitgen.field.gl.internal.bench;

import java.time.LocalDate;
import java.util.Arrays;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GlHostInts;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.gl.internal.vk.GlToVkCnn;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.gl.internal.vk.VkRenderCnn;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * Where the wall time of one render goes: the GPU service's Vulkan render path (GlGaussianFieldService.renderOnGpu)
 * step by step, with host clock marks on the caller's and the GL thread and the Vulkan CNN's own timestamps. One
 * render at a time; median ms of each step. Run for each GL → Vulkan ordering ({@link GlToVkCnn#SYNC_PROPERTY}).
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.RenderStagesBench</pre>
 */
public final class RenderStagesBench {
    private RenderStagesBench() {
    }

    private static final String[] STEPS = {"take a CNN slot, weights", "hand-off to the GL thread",
        "pose (vertices up, dispatches)", "rasterize (queued, no read-back; status and pair-count copies)",
        "copy features, order (glFinish or signal), submit",
        "read posing status and pair count (mapped memory; a redo if the pairs did not fit)", "hand-off back",
        "wait for the Vulkan fence", "copy RGB out of mapped memory", "give the slot back, FloatImage", "total"};

    public static void main(String[] args) {
        int size = 512;
        int reps = 200;
        try (GlContext gl = GlContext.open()) {
            System.out.println("render stages, " + gl.capabilities().renderer() + ", " + LocalDate.now() + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            Scenes.TrainingScene scene = Scenes.trainingScene(size, 16, 187, 32, 8, 7);
            for (String sync : new String[] {"finish", "semaphore"}) {
                System.setProperty(GlToVkCnn.SYNC_PROPERTY, sync);
                try {
                    System.out.println(stages(gl, scene, reps));
                } catch (GlException | LinkageError e) {
                    System.out.println("| " + sync + " | FAILED | " + e + " |");
                } finally {
                    System.clearProperty(GlToVkCnn.SYNC_PROPERTY);
                }
            }
        }
    }

    static String stages(GlContext gl, Scenes.TrainingScene scene, int reps) {
        GaussianField field = scene.field();
        int channels = field.local.channels;
        try (VkRenderCnn vk = VkRenderCnn.openIfShared(gl, channels)) {
            Object[] parts = gl.call(() -> {
                GlRasterizer r = new GlRasterizer(gl);
                GlBinding binding = new GlBinding(gl.shaders(), field.binding);
                GlBuffer local = new GlBuffer("bench local parameters");
                local.upload(new GaussianLayout(field.local.count, channels).flatten(field.local));
                return new Object[] {r, binding, local, new GlHostInts("bench render checks", 2)};
            });
            GlRasterizer r = (GlRasterizer) parts[0];
            GlBinding binding = (GlBinding) parts[1];
            GlBuffer local = (GlBuffer) parts[2];
            GlHostInts checks = (GlHostInts) parts[3];
            int[] redone = {0};
            double[][] ms = new double[STEPS.length][reps];
            double[][] gpu = new double[3][reps];
            try {
                int warm = 50;
                for (int i = -warm; i < reps; i++) {
                    var state = scene.frames().get(Math.floorMod(i, scene.frames().size())).state();
                    Camera cam = GaussianField.cameraOf(state);
                    long t0 = System.nanoTime();
                    VkRenderCnn.Job job = vk.begin(field.renderer, cam.height(), cam.width());
                    long t1 = System.nanoTime();
                    long[] g = gl.call(() -> {
                        long a = System.nanoTime();
                        binding.resetStatus();
                        binding.pose(state.vertices(), "bench", local, channels, r);
                        long b = System.nanoTime();
                        r.queueForward(cam);
                        binding.queueStatusCopy(checks, 0);
                        r.queuePairsCheck(checks, 1);
                        checks.fence();
                        long c = System.nanoTime();
                        job.enqueue(r.featureImage());
                        long d = System.nanoTime();
                        int[] read = checks.read();
                        binding.problemOf(read[0]);
                        if (!r.pairsFit(read[1])) { // as the service: rasterize it again, hand it over again
                            r.forward(cam);
                            job.enqueueAgain(r.featureImage());
                            redone[0]++;
                        }
                        return new long[] {a, b, c, d, System.nanoTime()};
                    });
                    long t2 = System.nanoTime();
                    float[] rgb = job.rgb();
                    long[] await = job.awaitNs();
                    VkCnn.Timing timing = job.gpuTiming();
                    job.close();
                    new FloatImage(cam.width(), cam.height(), 3, rgb);
                    long t3 = System.nanoTime();
                    if (i < 0) {
                        continue;
                    }
                    double[] step = {t1 - t0, g[0] - t1, g[1] - g[0], g[2] - g[1], g[3] - g[2], g[4] - g[3],
                        t2 - g[4], await[0], await[1], (t3 - t2) - await[0] - await[1], t3 - t0};
                    for (int s = 0; s < step.length; s++) {
                        ms[s][i] = step[s] / 1e6;
                    }
                    gpu[0][i] = timing.uploadMs();
                    gpu[1][i] = timing.networkMs();
                    gpu[2][i] = timing.readbackMs();
                }
            } finally {
                gl.call(() -> {
                    r.close();
                    binding.close();
                    local.close();
                    checks.close();
                    return null;
                });
            }
            StringBuilder b = new StringBuilder("\n" + vk.featurePath() + ": median ms of " + reps + " renders ("
                    + redone[0] + " rasterized again, warm-up included; checks read "
                    + (checks.mapped() ? "from mapped memory" : "by glGetBufferSubData") + ")\n\n"
                    + "| step | ms |\n|---|---|\n");
            for (int s = 0; s < STEPS.length; s++) {
                b.append(String.format("| %s | %.3f |%n", STEPS[s], median(ms[s])));
            }
            b.append(String.format("| (Vulkan timestamps: weights up %.3f, network %.3f, RGB to host memory %.3f) "
                    + "| |%n", median(gpu[0]), median(gpu[1]), median(gpu[2])));
            return b.toString();
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
