package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.gl.internal.vk.VkCompute;
import org.portraitgen.field.gl.internal.vk.VkException;
import org.portraitgen.field.gl.internal.vk.VkRenderCnn;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The Vulkan CNN on the machine's Vulkan device (lavapipe in CI: no cooperative matrices, so the fp32 kernels of the
 * same engine run; the fp16 tensor-core kernels are checked on the GPU machine by VkCnnBench) against the Java
 * renderer. Bound: both sides are float32 with different summation orders (~1e-7 relative, as the GL CNN); a wrong
 * tap, padding or weight layout is ~1e-1.
 */
class VkCnnTest {
    static final double BOUND = 1e-5;
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
            double error = GlCnnParityTest.relativeL2(expected, rgb);
            System.out.printf("Vulkan CNN %s %dx%d C=%d: rgb rel. L2 %.2e%n", precision, w, h, channels, error);
            assertTrue(error < (precision == VkCnn.Precision.FP32 ? BOUND : 1e-2), "rgb error " + error);
            // the plan is reused: new weights, same size, must give the new result
            NeuralRenderer other = NeuralRenderer.initialised(channels, 1234);
            cnn.uploadParameters(other);
            float[] again = cnn.forward(features, h, w);
            try (Workers workers = new Workers(2)) {
                double e2 = GlCnnParityTest.relativeL2(other.forward(features, h, w, workers).rgb(), again);
                assertTrue(e2 < (precision == VkCnn.Precision.FP32 ? BOUND : 1e-2), "after new weights " + e2);
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
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, VkRenderCnn::vulkanRequested);
            assertTrue(e.getMessage().contains("expected gl or vulkan-fp16"), e.getMessage());
            System.setProperty(VkRenderCnn.PROPERTY, "vulkan-fp16");
            assertTrue(VkRenderCnn.vulkanRequested());
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
}
