package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.bench.Parity;
import org.portraitgen.field.gl.internal.bench.Scenes;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.gl.internal.raster.ProjectedGaussian;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;

/**
 * projectGaussians on the GPU against the CPU reference's projection, splat by splat.
 *
 * <p>Tolerances: xy, depth and opacity are a few float operations from the inputs: relative 1e-5 (100x float
 * epsilon; measured ~1e-7). Conics go through a 3x3 covariance, a Jacobian and a 2x2 inverse whose determinant can
 * cancel for thin splats: relative 1e-3 of the conic's own scale. Culling and tile rectangles are decided by
 * comparisons against pixel and tile borders; float and double agree except when a bound lies within rounding of
 * an integer, so a few in a thousand may differ (none did here).
 */
class ProjectGaussiansTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 255, 256, 257, 5_001})
    void splatsMatchTheCpuProjection(int n) {
        Gaussians g = Scenes.random(n, 1, 400 + n);
        // the turned and moved camera of the parity tests; the cloud overhangs the image on the sides
        Camera cam = Scenes.turnedCamera(90, 61);
        RasterImage cpu;
        try (Workers w = new Workers(2)) {
            cpu = new Rasterizer(w).forward(g, cam);
        }
        GlContext gl = SharedContext.get();
        int[] gpu = gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(Parity.params(g));
                r.projectGaussians(cam);
                return r.readProjected();
            }
        });
        double[][] splats = cpu.projectedSplats();
        int[] rects = cpu.projectedTileRects();
        int rectMismatches = 0;
        int compared = 0;
        for (int i = 0; i < n; i++) {
            int o = i * ProjectedGaussian.WORDS;
            boolean cpuVisible = rects[4 * i] <= rects[4 * i + 2];
            boolean gpuVisible = gpu[o + ProjectedGaussian.TILE_COUNT] != 0;
            boolean sameRect = cpuVisible == gpuVisible;
            for (int k = 0; k < 4 && sameRect && cpuVisible; k++) {
                sameRect = rects[4 * i + k] == gpu[o + ProjectedGaussian.TILE_RECT + k];
            }
            if (!sameRect) {
                rectMismatches++;
            }
            if (!cpuVisible || !gpuVisible) {
                continue;
            }
            compared++;
            close(splats[0][2 * i], f(gpu, o + ProjectedGaussian.XY), 1e-5, "u of " + i);
            close(splats[0][2 * i + 1], f(gpu, o + ProjectedGaussian.XY + 1), 1e-5, "v of " + i);
            close(splats[3][i], f(gpu, o + ProjectedGaussian.DEPTH), 1e-5, "depth of " + i);
            close(splats[2][i], f(gpu, o + ProjectedGaussian.CONIC_OPACITY + 3), 1e-5, "opacity of " + i);
            double scale = Math.abs(splats[1][3 * i]) + Math.abs(splats[1][3 * i + 2]);
            for (int k = 0; k < 3; k++) {
                double err = Math.abs(f(gpu, o + ProjectedGaussian.CONIC_OPACITY + k) - splats[1][3 * i + k]);
                assertTrue(err <= 1e-3 * scale, "conic " + k + " of " + i + ": " + err + " vs scale " + scale);
            }
        }
        System.out.println("projectGaussians n=" + n + ": " + compared + " visible compared, " + rectMismatches
                + " culling/rectangle mismatches");
        assertTrue(rectMismatches <= n / 200, rectMismatches + " culling or tile-rectangle mismatches of " + n);
        assertTrue(n < 200 || compared > n / 4, "the scene must have visible splats: " + compared);
    }

    private static float f(int[] words, int index) {
        return Float.intBitsToFloat(words[index]);
    }

    private static void close(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, relative * Math.max(1, Math.abs(expected)), what);
    }
}
