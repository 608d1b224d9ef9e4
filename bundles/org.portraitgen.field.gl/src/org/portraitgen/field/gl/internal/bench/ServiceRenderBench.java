package org.portraitgen.field.gl.internal.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.portraitgen.api.field.GaussianFieldService.FieldHandle;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.service.GlGaussianFieldService;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The GPU service's render as its callers get it ({@code GlGaussianFieldService.render}: the rig's vertices up, GPU
 * posing, rasterize, the render CNN, the RGB into a FloatImage on the caller's thread). Latency: wall clock per
 * render, one at a time. Throughput: renders per second with T threads calling render at once (a video render or a
 * viewport with several renders in flight), after a pass that checks every concurrent frame against the same frame
 * rendered alone. Parity: the frame against the GL CNN's ({@code -Dportraitgen.gpu.cnn=gl}). It uses the service's
 * public methods only, so this class, compiled alone and put first on the class path, measures an older build of the
 * bundle the same way.
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.ServiceRenderBench [--quick]</pre>
 */
public final class ServiceRenderBench {
    private ServiceRenderBench() {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick"); // llvmpipe: small sizes
        int size = quick ? 64 : 512;
        int gaussians = quick ? 2_000 : 35_000;
        try (GlContext gl = GlContext.open()) {
            System.out.println("service render, " + gl.capabilities().renderer() + ", " + LocalDate.now() + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs, java " + Runtime.version());
            int uv = (int) Math.round(Math.sqrt(gaussians));
            Scenes.TrainingScene scene = Scenes.trainingScene(size, 16, uv, 32, 8, 7);
            System.out.println("\n| case | ms | notes |\n|---|---|---|");
            rows(gl, scene, quick ? 6 : 200, quick ? new int[] {1, 2} : new int[] {1, 2, 3, 4}).forEach(
                    System.out::println);
        }
    }

    /**
     * Table rows: latency (median of {@code reps} renders one at a time), throughput at each thread count
     * ({@code reps} renders), parity with the GL CNN.
     */
    public static List<String> rows(GlContext gl, Scenes.TrainingScene scene, int reps, int[] threads) {
        List<String> rows = new ArrayList<>();
        List<RigState> states = scene.frames().stream().map(TrainingFrame::state).toList();
        int size = states.get(0).camera().width();
        String what = String.format("service render %d², %,d Gaussians", size, scene.field().local.count);
        float[][] alone = new float[states.size()][];
        float[] viaGl;
        try (GlGaussianFieldService service = new GlGaussianFieldService(gl)) {
            FieldHandle field = service.adopt(scene.field());
            String cnn = service.renderCnnReport() + (service.vulkanFeaturePath() == null ? ""
                    : "; features: " + service.vulkanFeaturePath());
            for (int i = 0; i < states.size(); i++) {
                alone[i] = render(service, field, states.get(i)).data();
            }
            // a second of renders: clocks up, every lazy buffer made
            long end = System.nanoTime() + (reps > 10 ? 1_000_000_000L : 0);
            int k = 0;
            do {
                render(service, field, states.get(k++ % states.size()));
            } while (System.nanoTime() < end);
            double[] ms = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                render(service, field, states.get(i % states.size()));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            Arrays.sort(ms);
            rows.add(String.format("| %s, one at a time (latency) | **%.3f** | wall per render: median of %d, mean "
                    + "%.3f, p10 %.3f, p90 %.3f; %s |", what, ms[reps / 2], reps, mean, ms[reps / 10],
                    ms[reps * 9 / 10], cnn.trim().replaceAll(" +", " ")));
            for (int t : threads) {
                double worst = concurrent(service, field, states, t, Math.min(reps, 8 * t * states.size()), alone);
                double seconds = timed(service, field, states, t, reps);
                rows.add(String.format("| %s, %d thread%s calling render (renders in flight) | %.3f per render | "
                        + "**%.0f renders/s**; %d renders in %.3f s; every frame of a checked concurrent pass "
                        + "equals it rendered alone to %.1e (max abs) |", what, t, t == 1 ? "" : "s",
                        seconds * 1e3 / reps, reps / seconds, reps, seconds, worst));
            }
            service.release(field);
        }
        String before = System.getProperty("portraitgen.gpu.cnn");
        System.setProperty("portraitgen.gpu.cnn", "gl");
        try (GlGaussianFieldService service = new GlGaussianFieldService(gl)) {
            FieldHandle field = service.adopt(scene.field());
            viaGl = render(service, field, states.get(0)).data();
            service.release(field);
        } finally {
            if (before == null) {
                System.clearProperty("portraitgen.gpu.cnn");
            } else {
                System.setProperty("portraitgen.gpu.cnn", before);
            }
        }
        rows.add(String.format("| %s: parity with the GL fp32 CNN's frame | - | rel. L2 of rgb - 0.5: %.1e |", what,
                VkCnnBench.centredL2(viaGl, alone[0])));
        rows.add(afterAFarFrame(gl, scene, states.get(0), alone[0], what));
        return rows;
    }

    /**
     * A fresh service renders the field from far away (the sheet ~15 px wide inside one tile: few tile pairs), then
     * frame 0: the pair room learned from the far frame is too small for it, and the service must not return it with
     * empty tiles. The row gives frame 0's max abs difference from the frame rendered alone and, where the build
     * counts them, the renders rasterized again.
     */
    private static String afterAFarFrame(GlContext gl, Scenes.TrainingScene scene, RigState near, float[] alone,
            String what) {
        Camera c = near.camera();
        RigState far = new RigState(near.frame(), new Camera(c.width(), c.height(), c.fx() / 20, c.fy() / 20,
                c.cx() + 8, c.cy() + 8, c.rotation(), c.translation()), near.vertices(), near.expression(),
                near.tracked());
        try (GlGaussianFieldService service = new GlGaussianFieldService(gl)) {
            FieldHandle field = service.adopt(scene.field());
            render(service, field, far);
            float[] rgb = render(service, field, near).data();
            service.release(field);
            double worst = 0;
            for (int p = 0; p < rgb.length; p++) {
                worst = Math.max(worst, Math.abs(rgb[p] - alone[p]));
            }
            String again;
            try { // public API only: an older build has no such count
                again = service.getClass().getMethod("rendersRasterizedAgain").invoke(service)
                        + " renders rasterized again (the first two included)";
            } catch (ReflectiveOperationException e) {
                again = "this build does not count renders rasterized again";
            }
            return String.format("| %s after a far frame (fewer tile pairs), fresh service | - | equals it rendered "
                    + "alone to %.1e (max abs); %s |", what, worst, again);
        }
    }

    private static FloatImage render(GlGaussianFieldService service, FieldHandle field, RigState state) {
        try {
            return service.render(field, state);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Max abs difference of {@code n} renders on {@code t} threads from the frames rendered alone. */
    private static double concurrent(GlGaussianFieldService service, FieldHandle field, List<RigState> states,
            int t, int n, float[][] alone) {
        AtomicInteger next = new AtomicInteger();
        double[] worst = new double[t];
        run(t, id -> {
            for (int i; (i = next.getAndIncrement()) < n;) {
                int f = i % states.size();
                float[] rgb = render(service, field, states.get(f)).data();
                for (int p = 0; p < rgb.length; p++) {
                    worst[id] = Math.max(worst[id], Math.abs(rgb[p] - alone[f][p]));
                }
            }
        });
        return Arrays.stream(worst).max().orElse(0);
    }

    /** Seconds for {@code n} renders on {@code t} threads. */
    private static double timed(GlGaussianFieldService service, FieldHandle field, List<RigState> states, int t,
            int n) {
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        run(t, id -> {
            for (int i; (i = next.getAndIncrement()) < n;) {
                render(service, field, states.get(i % states.size()));
            }
        });
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void run(int t, java.util.function.IntConsumer body) {
        Thread[] workers = new Thread[t];
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < t; i++) {
            int id = i;
            workers[i] = new Thread(() -> {
                try {
                    body.accept(id);
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, "render-bench-" + i);
            workers[i].start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure[0] != null) {
            throw new IllegalStateException("a render thread failed: " + failure[0], failure[0]);
        }
    }
}
