package org.portraitgen.field.gl.internal.bench;

import static org.lwjgl.opengl.GL43C.glFinish;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlCapabilities;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.internal.raster.Gaussians;

/**
 * The GPU rasterizer's benchmark, a plain {@code main} so that it runs on the GPU machine without OSGi:
 * capability report, parity against the CPU reference at a moderate size, and timings (wall clock around
 * glFinish, after warm-up, median of repeated runs) of 1M Gaussians at 1920x1080 and of typical fields at 512².
 * Prints a Markdown table for BENCHMARKS.md.
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.GlBench [--quick]</pre>
 */
public final class GlBench {
    private GlBench() {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick"); // llvmpipe: small sizes only
        try (GlContext gl = GlContext.open()) {
            GlCapabilities caps = gl.capabilities();
            System.out.println("## Capabilities\n```\n" + caps.report() + "\n```");
            System.out.println("\n## Parity against the CPU reference (relative L2, float32 GPU vs float64 CPU)\n");
            System.out.println("| scene | outputs / gradients |\n|---|---|");
            // the CI test scene first (RasterizerParityTest's bounds: 1e-4 forward, 1e-3 backward)
            Gaussians small = Scenes.random(2_001, 8, 200 + 2_001);
            Camera smallCam = Scenes.turnedCamera(67, 45);
            section(() -> System.out.println("| 2001 Gaussians, 67x45, C=8, forward (CI scene) | "
                    + fmt(Parity.forward(gl, small, smallCam)) + " |"));
            section(() -> System.out.println("| 2001 Gaussians, 67x45, C=8, backward (CI scene) | "
                    + fmt(Parity.backward(gl, small, smallCam, 2_001)) + " |"));
            int pn = quick ? 2_000 : 50_000;
            int ps = quick ? 96 : 256;
            Gaussians pg = Scenes.random(pn, 32, 11);
            Camera pc = Scenes.turnedCamera(ps, ps);
            section(() -> System.out.println("| " + pn + " Gaussians, " + ps + "², C=32, forward | "
                    + fmt(Parity.forward(gl, pg, pc)) + " |"));
            section(() -> System.out.println("| " + pn + " Gaussians, " + ps + "², C=32, backward | "
                    + fmt(Parity.backward(gl, pg, pc, 3)) + " |"));
            System.out.println("\n## Timings (" + caps.renderer() + ", " + LocalDate.now()
                    + "; median ms of wall clock around glFinish)\n");
            System.out.println("| case | Gaussians | tile pairs | project | intersect (sort) | rasterize | "
                    + "forward total | GL_TIMESTAMP project / intersect / rasterize | backward on GPU (with host transfers) | "
                    + "GPU buffers MiB |\n|---|---|---|---|---|---|---|---|---|---|");
            int reps = quick ? 3 : 30;
            section(() -> warmUp(gl, quick));
            // --quick (llvmpipe): a sixth of the resolution and few Gaussians, so that it ends in a minute
            int wide = quick ? 320 : 1920;
            int high = quick ? 180 : 1080;
            int square = quick ? 128 : 512;
            section(() -> time(gl, wide + "x" + high + ", C=32", quick ? 20_000 : 1_000_000, 32, wide, high, reps,
                    false));
            section(() -> time(gl, wide + "x" + high + ", C=3", quick ? 20_000 : 1_000_000, 3, wide, high, reps,
                    false));
            section(() -> time(gl, square + "², C=32", quick ? 10_000 : 35_000, 32, square, square, reps, true));
            section(() -> time(gl, square + "², C=32", quick ? 20_000 : 100_000, 32, square, square, reps, true));
            if (caps.has("GL_NVX_gpu_memory_info")) {
                System.out.println("\nGPU free memory after the runs: "
                        + gl.call(() -> gl.freeMemoryKiB()) / 1024 + " MiB");
            }
        }
    }

    private static void time(GlContext gl, String name, int n, int channels, int w, int h, int reps,
            boolean backward) {
        Gaussians g = Scenes.random(n, channels, 42);
        Camera cam = Scenes.turnedCamera(w, h);
        float[] vFeatures = backward ? new float[channels * w * h] : null;
        if (vFeatures != null) {
            Arrays.fill(vFeatures, 1e-3f);
        }
        String row = gl.call(() -> {
            long freeBefore = gl.freeMemoryKiB();
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(Parity.params(g));
                double project = median(reps, () -> r.projectGaussians(cam));
                double intersect = median(reps, () -> {
                    r.projectGaussians(cam);
                    r.intersectTiles();
                }) - project;
                double rasterize = median(reps, r::rasterizeToPixels);
                double total = median(reps, () -> r.forward(cam));
                double[] gpu;
                try (StageTimer timer = new StageTimer(3, reps)) {
                    for (int i = 0; i < reps; i++) {
                        timer.mark();
                        r.projectGaussians(cam);
                        timer.mark();
                        r.intersectTiles();
                        timer.mark();
                        r.rasterizeToPixels();
                        timer.mark();
                    }
                    gpu = timer.medians();
                }
                String bwd = "-";
                if (backward) {
                    r.forward(cam);
                    r.uploadImageGradients(vFeatures, null, null);
                    double gpuOnly = median(reps, r::backwardOnGpu);
                    double withTransfers = median(Math.max(3, reps / 3), () -> r.backward(vFeatures, null, null));
                    bwd = String.format("%.3f (%.1f with transfers)", gpuOnly, withTransfers);
                }
                long freeAfter = gl.freeMemoryKiB();
                String mem = String.format("%.1f", r.bufferBytes() / 1048576.0)
                        + (freeBefore > 0 ? String.format(" (driver: %.0f)", (freeBefore - freeAfter) / 1024.0) : "");
                return String.format("| %s | %,d | %,d | %.3f | %.3f | %.3f | **%.3f** | %.3f / %.3f / %.3f | %s | %s |",
                        name, n, r.intersections(), project, intersect, rasterize, total, gpu[0], gpu[1], gpu[2], bwd,
                        mem);
            }
        });
        System.out.println(row);
    }

    /** About two seconds of full-size forwards, so that the first timed case does not meet an idle GPU's clocks. */
    private static void warmUp(GlContext gl, boolean quick) {
        Gaussians g = Scenes.random(quick ? 2_000 : 1_000_000, 32, 42);
        Camera cam = Scenes.turnedCamera(1920, 1080);
        gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(Parity.params(g));
                long end = System.nanoTime() + (quick ? 0 : 2_000_000_000L);
                do {
                    r.forward(cam);
                    glFinish();
                } while (System.nanoTime() < end);
            }
            return null;
        });
    }

    /** One failing case (a driver's compile error, out of memory) must not hide the others' numbers. */
    private static void section(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.out.println("| FAILED | " + e + " |");
            e.printStackTrace(System.out);
        }
    }

    /** Median wall-clock ms of {@code body}, each run fenced by glFinish, after two warm-up runs. */
    private static double median(int reps, Runnable body) {
        body.run();
        body.run();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            glFinish();
            long t0 = System.nanoTime();
            body.run();
            glFinish();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    private static String fmt(Map<String, Double> errors) {
        StringBuilder b = new StringBuilder();
        errors.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(String.format(" %.1e", v)));
        return b.toString();
    }
}
