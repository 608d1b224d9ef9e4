package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bench.VkCnnBench;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.gl.internal.vk.VkCompute;
import org.portraitgen.field.gl.internal.vk.VkException;
import org.portraitgen.field.gl.internal.vk.VkRenderCnn;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The Vulkan CNN on the machine's Vulkan device (lavapipe in CI: no cooperative matrices, so the fp32 kernels of the
 * same engine run; the fp16 tensor-core kernels are checked on the GPU machine by VkCnnBench) against the Java
 * renderer. Compared: rgb - 0.5 (rgb of this initialisation sits near 0.5, which would dilute a relative error of rgb
 * itself). Bound: both sides are float32 with different summation orders (~1e-6 measured); a wrong tap, padding or
 * weight layout is ~1.
 */
class VkCnnTest {
    static final double BOUND = 1e-4;
    /** fp16 activations and weights (11-bit mantissa) through five layers. */
    static final double FP16_BOUND = 5e-2;
    static VkCompute vk;

    @BeforeAll
    static void open() {
        vk = VkCompute.open();
        System.out.println(vk.capabilities().report());
    }

    @AfterAll
    static void close() {
        if (vk != null) {
            vk.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"8, 9, 13", "32, 19, 37", "4, 1, 1"})
    void forwardMatchesTheJavaRenderer(int channels, int h, int w) {
        NeuralRenderer net = NeuralRenderer.initialised(channels, 7 + channels);
        float[] features = GlCnnParityTest.randomFeatures(channels * h * w, h * 31L + w);
        float[] expected;
        try (Workers workers = new Workers(2)) {
            expected = net.forward(features, h, w, workers).rgb();
        }
        VkCnn.Precision precision = vk.capabilities().tensorCores() ? VkCnn.Precision.FP16_COOPMAT
                : VkCnn.Precision.FP32;
        try (VkCnn cnn = new VkCnn(vk, channels, precision)) {
            cnn.uploadParameters(net);
            float[] rgb = cnn.forward(features, h, w);
            double error = VkCnnBench.centredL2(expected, rgb);
            System.out.printf("Vulkan CNN %s %dx%d C=%d: rel. L2 of rgb - 0.5 %.2e%n", precision, w, h, channels, error);
            assertTrue(error < (precision == VkCnn.Precision.FP32 ? BOUND : FP16_BOUND), "rgb error " + error);
            // the plan is reused: new weights, same size, must give the new result
            NeuralRenderer other = NeuralRenderer.initialised(channels, 1234);
            cnn.uploadParameters(other);
            float[] again = cnn.forward(features, h, w);
            try (Workers workers = new Workers(2)) {
                double e2 = VkCnnBench.centredL2(other.forward(features, h, w, workers).rgb(), again);
                assertTrue(e2 < (precision == VkCnn.Precision.FP32 ? BOUND : FP16_BOUND), "after new weights " + e2);
            }
            // weights changed in place (as the optimiser does) must not be taken for the ones already uploaded
            for (float[] p : other.parameters()) {
                p[0] += 0.25f;
            }
            cnn.uploadParameters(other);
            float[] changed = cnn.forward(features, h, w);
            try (Workers workers = new Workers(2)) {
                double e3 = VkCnnBench.centredL2(other.forward(features, h, w, workers).rgb(), changed);
                assertTrue(e3 < (precision == VkCnn.Precision.FP32 ? BOUND : FP16_BOUND), "after in-place " + e3);
            }
            VkCnn.Timing t = cnn.lastTiming();
            assertTrue(t.networkMs() > 0, "timestamps: " + t);
        }
    }

    @Test
    void pipelinesAreCompiledOncePerSourceAndDefines() {
        int before = vk.cachedPipelines();
        try (VkCnn a = new VkCnn(vk, 8, VkCnn.Precision.FP32); VkCnn b = new VkCnn(vk, 8, VkCnn.Precision.FP32)) {
            int after = vk.cachedPipelines();
            assertTrue(after - before <= 8, "at most pack, zero columns, head and five convolutions are new");
            try (VkCnn c = new VkCnn(vk, 8, VkCnn.Precision.FP32)) {
                assertEquals(after, vk.cachedPipelines());
            }
        }
    }

    @Test
    void badInputAndMissingCapabilitiesGiveClearErrors() {
        try (VkCnn cnn = new VkCnn(vk, 8, VkCnn.Precision.FP32)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cnn.forward(new float[10], 3, 3));
            assertTrue(e.getMessage().contains("expected 8x3x3"), e.getMessage());
        }
        VkException compile = assertThrows(VkException.class,
                () -> vk.pipeline("vk/conv3x3_fp32.comp", Map.of("CIN", "8"), 4));
        assertTrue(compile.getMessage().contains("shaders/vk/conv3x3_fp32.comp")
                && compile.getMessage().contains("COUT"), compile.getMessage());
        if (!vk.capabilities().tensorCores()) {
            VkException e = assertThrows(VkException.class, () -> new VkCnn(vk, 8, VkCnn.Precision.FP16_COOPMAT));
            assertTrue(e.getMessage().contains("cooperative matrices"), e.getMessage());
        }
        String before = System.getProperty(VkRenderCnn.PROPERTY);
        try {
            System.setProperty(VkRenderCnn.PROPERTY, "cuda");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, VkRenderCnn::requested);
            assertTrue(e.getMessage().contains("-Dportraitgen.gpu.cnn=cuda: expected gl or vulkan-fp16"),
                    e.getMessage());
            System.setProperty(VkRenderCnn.PROPERTY, "vulkan-fp16");
            assertEquals(VkRenderCnn.Request.VULKAN_FP16, VkRenderCnn.requested());
            System.setProperty(VkRenderCnn.PROPERTY, "gl");
            assertEquals(VkRenderCnn.Request.GL, VkRenderCnn.requested());
            System.clearProperty(VkRenderCnn.PROPERTY);
            assertEquals(VkRenderCnn.Request.AUTO, VkRenderCnn.requested());
            if (!vk.capabilities().tensorCores()) {
                // unset on a device without tensor cores: the GL CNN serves, and the reason names what is missing
                GlException why = assertThrows(GlException.class, () -> VkRenderCnn.openIfShared(SharedContext
                        .get(), 32));
                assertTrue(why.getMessage().contains("no fp16 cooperative matrices"), why.getMessage());
            }
        } finally {
            if (before == null) {
                System.clearProperty(VkRenderCnn.PROPERTY);
            } else {
                System.setProperty(VkRenderCnn.PROPERTY, before);
            }
        }
    }

    @Test
    void capabilityReportNamesTheDeviceAndCooperativeMatrices() {
        String report = vk.capabilities().report();
        assertTrue(report.contains("Vulkan device:     " + vk.capabilities().deviceName()), report);
        assertTrue(report.contains("VK_KHR_cooperative_matrix: "), report);
    }

    /**
     * The render CNN fed from a GL buffer, as the GPU service uses it: through memory shared between GL and Vulkan
     * where the drivers import it (the NVIDIA driver), else through the host (llvmpipe + lavapipe here refuse the
     * import), checked against the Java renderer either way, twice per size and across a size change (re-import).
     */
    @Test
    void renderCnnFedFromAGlBufferGivesTheJavaRenderersRgb() {
        GlContext gl = SharedContext.get();
        VkCnn.Precision precision = vk.capabilities().tensorCores() ? VkCnn.Precision.FP16_COOPMAT
                : VkCnn.Precision.FP32;
        GlBuffer features = new GlBuffer("features for the Vulkan CNN");
        try (VkRenderCnn cnn = VkRenderCnn.open(gl, precision); Workers workers = new Workers(2)) {
            NeuralRenderer net = NeuralRenderer.initialised(8, 5);
            for (int[] size : new int[][] {{9, 13}, {9, 13}, {6, 21}}) {
                int h = size[0];
                int w = size[1];
                float[] input = GlCnnParityTest.randomFeatures(8 * h * w, 31L * h + w);
                // a larger buffer than the image, as the rasterizer's (alpha and depth follow the features)
                float[] padded = java.util.Arrays.copyOf(input, input.length + 2 * h * w);
                gl.call(() -> {
                    features.upload(padded);
                    return null;
                });
                float[] rgb = cnn.forward(net, features, h, w);
                double error = VkCnnBench.centredL2(net.forward(input, h, w, workers).rgb(), rgb);
                System.out.printf("Vulkan CNN fed from GL %dx%d (%s): rel. L2 of rgb - 0.5 %.2e%n", w, h, cnn.featurePath(),
                        error);
                assertTrue(error < (precision == VkCnn.Precision.FP32 ? BOUND : FP16_BOUND), "rgb error " + error);
            }
            String path = cnn.featurePath();
            assertTrue(path.startsWith("shared GPU buffer") || path.contains("cannot be shared"), path);
        } finally {
            gl.call(() -> {
                features.close();
                return null;
            });
        }
    }

    /**
     * Renders in flight at once (the GPU service overlaps renders called from several threads): each thread's RGB is
     * its own features' through the Java renderer, with no slot, buffer or weights crossing between them.
     */
    @Test
    void renderCnnJobsOnSeveralThreadsKeepTheirOwnFrames() throws Exception {
        GlContext gl = SharedContext.get();
        VkCnn.Precision precision = vk.capabilities().tensorCores() ? VkCnn.Precision.FP16_COOPMAT
                : VkCnn.Precision.FP32;
        int threads = 3;
        int h = 7;
        int w = 11;
        NeuralRenderer net = NeuralRenderer.initialised(8, 17);
        float[][] inputs = new float[threads][];
        GlBuffer[] features = new GlBuffer[threads];
        for (int t = 0; t < threads; t++) {
            inputs[t] = GlCnnParityTest.randomFeatures(8 * h * w, 100L + t);
            int id = t;
            features[t] = gl.call(() -> {
                GlBuffer b = new GlBuffer("features of thread " + id);
                b.upload(inputs[id]);
                return b;
            });
        }
        double[] errors = new double[threads];
        try (VkRenderCnn cnn = VkRenderCnn.open(gl, precision); Workers workers = new Workers(2)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        for (int r = 0; r < 3; r++) {
                            float[] rgb = cnn.forward(net, features[id], h, w);
                            double e = VkCnnBench.centredL2(net.forward(inputs[id], h, w, workers).rgb(), rgb);
                            synchronized (errors) {
                                errors[id] = Math.max(errors[id], e);
                            }
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get(5, java.util.concurrent.TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(cnn.slotsMade() <= VkRenderCnn.MAX_IN_FLIGHT, "slots " + cnn.slotsMade());
            System.out.printf("Vulkan CNN, %d threads (%s, %d shared slots): worst rel. L2 of rgb - 0.5 %.2e%n",
                    threads, cnn.featurePath(), cnn.slotsMade(), java.util.Arrays.stream(errors).max().orElse(0));
        } finally {
            gl.call(() -> {
                for (GlBuffer b : features) {
                    b.close();
                }
                return null;
            });
        }
        for (double e : errors) {
            assertTrue(e < (precision == VkCnn.Precision.FP32 ? BOUND : FP16_BOUND), "rgb error " + e);
        }
    }
}
