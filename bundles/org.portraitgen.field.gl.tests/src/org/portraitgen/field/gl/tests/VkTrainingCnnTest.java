package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bench.Parity;
import org.portraitgen.field.gl.internal.bench.Scenes;
import org.portraitgen.field.gl.internal.vk.GlVkTrainerCnn;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.gl.internal.vk.VkCompute;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The trainer's Vulkan CNN (forward, input gradient, weight and bias gradients, loss scaling) against the Java
 * engine, and its backward against central differences of its own forward; then a whole GL training step with it
 * against the CPU Trainer. In CI this is lavapipe beside llvmpipe: no cooperative matrices (the fp32 kernels of the
 * same engine run) and no memory sharing (images cross through the host); the fp16 tensor-core kernels and the
 * shared memory are checked on the GPU machine by VkCnnBench {@code --train}. Bounds as in GlCnnParityTest: float32
 * on both sides, different summation orders (~1e-6); a wrong tap, flip, mask or scale is ~1e-1.
 */
class VkTrainingCnnTest {
    static final double BOUND = 1e-4;

    static VkCnn.Precision precision() {
        try (VkCompute vk = VkCompute.open()) {
            return vk.capabilities().tensorCores() ? VkCnn.Precision.FP16_COOPMAT : VkCnn.Precision.FP32;
        }
    }

    record Result(float[] rgb, float[] vFeatures, float[] grads) {
    }

    static Result run(GlVkTrainerCnn cnn, NeuralRenderer net, float[] features, float[] vRgb, int h, int w,
            int backwards) {
        GlContext gl = SharedContext.get();
        return gl.call(() -> {
            try (GlBuffer in = new GlBuffer("test features"); GlBuffer v = new GlBuffer("test dL/dRGB")) {
                in.upload(features);
                v.upload(vRgb);
                cnn.uploadParameters(net);
                cnn.zeroGradients();
                cnn.forward(in, h, w);
                float[] rgb = cnn.rgb().readFloats(3 * h * w);
                for (int i = 0; i < backwards; i++) {
                    cnn.backward(v);
                }
                return new Result(rgb, cnn.featureGradient().readFloats(net.featureChannels * h * w),
                        cnn.gradients().readFloats(cnn.parameterCount()));
            }
        });
    }

    static GlVkTrainerCnn open(int channels) {
        GlContext gl = SharedContext.get();
        return gl.call(() -> GlVkTrainerCnn.open(gl, channels, precision(), false));
    }

    @ParameterizedTest
    @CsvSource({"8, 9, 13", "32, 19, 37", "4, 1, 1"})
    void forwardAndBackwardMatchTheJavaEngine(int channels, int h, int w) {
        NeuralRenderer net = NeuralRenderer.initialised(channels, 7 + channels);
        float[] features = GlCnnParityTest.randomFeatures(channels * h * w, h * 31L + w);
        // about the size of a real dL/dRGB (1/pixels): the loss scaling must bring it into fp16's range
        float[] vRgb = GlCnnParityTest.randomFeatures(3 * h * w, 99);
        for (int i = 0; i < vRgb.length; i++) {
            vRgb[i] *= 1f / (h * w);
        }
        NeuralRenderer cpuGrads = new NeuralRenderer(channels);
        float[] cpuRgb;
        float[] cpuVFeatures;
        try (Workers workers = new Workers(2); CnnEngine cpu = new JavaCnn(workers);
                CnnEngine.Pass pass = cpu.forward(net, features, h, w)) {
            cpuRgb = pass.rgb();
            cpuVFeatures = cpu.backward(net, pass, vRgb, cpuGrads);
        }
        Result gpu;
        Result twice;
        String describe;
        try (GlVkTrainerCnn cnn = open(channels)) {
            describe = cnn.describe();
            gpu = run(cnn, net, features, vRgb, h, w, 1);
            twice = run(cnn, net, features, vRgb, h, w, 2);
        }
        double bound = precision() == VkCnn.Precision.FP32 ? BOUND : 3e-2;
        StringBuilder report = new StringBuilder(describe + " C=" + channels + " " + w + "x" + h + ": rgb "
                + String.format("%.1e", GlCnnParityTest.relativeL2(cpuRgb, gpu.rgb())) + ", v_features "
                + String.format("%.1e", GlCnnParityTest.relativeL2(cpuVFeatures, gpu.vFeatures())));
        assertTrue(GlCnnParityTest.relativeL2(cpuRgb, gpu.rgb()) < bound, report::toString);
        assertTrue(GlCnnParityTest.relativeL2(cpuVFeatures, gpu.vFeatures()) < bound, report::toString);
        float[][] c = cpuGrads.parameters();
        int o = 0;
        for (int i = 0; i < c.length; i++) {
            float[] g = new float[c[i].length];
            float[] g2 = new float[c[i].length];
            System.arraycopy(gpu.grads(), o, g, 0, g.length);
            System.arraycopy(twice.grads(), o, g2, 0, g.length);
            o += g.length;
            double e = GlCnnParityTest.relativeL2(c[i], g);
            report.append(String.format(", %s%d %.1e", i % 2 == 0 ? "v_w" : "v_b", i / 2, e));
            assertTrue(e < bound, report::toString);
            float[] doubled = c[i].clone();
            for (int k = 0; k < doubled.length; k++) {
                doubled[k] *= 2;
            }
            assertTrue(GlCnnParityTest.relativeL2(doubled, g2) < bound, "two backwards add up: " + report);
        }
        System.out.println(report);
    }

    /** d(sum vRgb . rgb)/dθ of the GPU backward against central differences of the GPU forward. */
    @Test
    void backwardMatchesFiniteDifferencesOfTheForward() {
        int channels = 8;
        int h = 7;
        int w = 11;
        NeuralRenderer net = NeuralRenderer.initialised(channels, 5);
        float[] features = GlCnnParityTest.randomFeatures(channels * h * w, 17);
        float[] vRgb = GlCnnParityTest.randomFeatures(3 * h * w, 18);
        try (GlVkTrainerCnn cnn = open(channels)) {
            Result base = run(cnn, net, features, vRgb, h, w, 1);
            float[][] params = net.parameters();
            int[][] probes = {{0, 5}, {1, 3}, {2, 100}, {4, 7}, {8, 40}, {10, 2}, {11, 1}};
            int[] offsets = new int[params.length];
            for (int i = 1; i < params.length; i++) {
                offsets[i] = offsets[i - 1] + params[i - 1].length;
            }
            double eps = 1e-2;
            double tolerance = precision() == VkCnn.Precision.FP32 ? 2e-3 : 3e-2;
            for (int[] probe : probes) {
                float[] p = params[probe[0]];
                float saved = p[probe[1]];
                p[probe[1]] = (float) (saved + eps);
                double plus = dot(vRgb, run(cnn, net, features, vRgb, h, w, 0).rgb());
                p[probe[1]] = (float) (saved - eps);
                double minus = dot(vRgb, run(cnn, net, features, vRgb, h, w, 0).rgb());
                p[probe[1]] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double analytic = base.grads()[offsets[probe[0]] + probe[1]];
                assertEquals(numeric, analytic, tolerance * Math.max(1, Math.abs(numeric)),
                        "parameter group " + probe[0] + " index " + probe[1]);
            }
            int feature = 3 * h * w + 2 * w + 5;
            float saved = features[feature];
            features[feature] = (float) (saved + eps);
            double plus = dot(vRgb, run(cnn, net, features, vRgb, h, w, 0).rgb());
            features[feature] = (float) (saved - eps);
            double minus = dot(vRgb, run(cnn, net, features, vRgb, h, w, 0).rgb());
            features[feature] = saved;
            assertEquals((plus - minus) / (2 * eps), base.vFeatures()[feature], tolerance, "dL/dfeature " + feature);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void aTrainingStepWithTheVulkanCnnMatchesTheCpuTrainer() {
        Scenes.TrainingScene cpu = Scenes.trainingScene(24, 4, 10, 8, 3, 21);
        Scenes.TrainingScene gpu = Scenes.trainingScene(24, 4, 10, 8, 3, 21);
        List<TrainingFrame> batch = List.of(cpu.frames().get(0), cpu.frames().get(2));
        GlContext gl = SharedContext.get();
        Map<String, Double> errors = Parity.trainingStep(gl, cpu, gpu, batch,
                channels -> GlVkTrainerCnn.open(gl, channels, precision(), false));
        System.out.println("training step parity with the Vulkan CNN (" + cpu.field().local.count
                + " Gaussians, 24x24, C=8, batch 2): " + errors);
        double bound = precision() == VkCnn.Precision.FP32 ? 1e-4 : 3e-2;
        errors.forEach((k, e) -> assertTrue(e < (k.equals("loss") ? bound / 10 : bound), k + " relative error "
                + e));
    }

    /**
     * Three frames through the CNN's frame slots, one submission each way, against the same frames one at a time:
     * every slot keeps its own activations, and the parameter gradients of the pass add up over its frames.
     */
    @Test
    void framesInSlotsMatchFramesOneAtATime() {
        int channels = 8;
        int h = 9;
        int w = 13;
        int n = 3;
        NeuralRenderer net = NeuralRenderer.initialised(channels, 5);
        float[][] features = new float[n][];
        float[][] vRgb = new float[n][];
        for (int k = 0; k < n; k++) {
            features[k] = GlCnnParityTest.randomFeatures(channels * h * w, 40 + k);
            vRgb[k] = GlCnnParityTest.randomFeatures(3 * h * w, 50 + k);
            for (int i = 0; i < vRgb[k].length; i++) {
                vRgb[k][i] *= 1f / (h * w);
            }
        }
        GlContext gl = SharedContext.get();
        float[][][] single = new float[n][][];
        float[] singleGrads = new float[NeuralRenderer.initialised(channels, 5).parameterCount()];
        try (GlVkTrainerCnn cnn = gl.call(() -> GlVkTrainerCnn.open(gl, channels, precision(), false, n))) {
            assertEquals(n, cnn.frameSlots());
            for (int k = 0; k < n; k++) {
                Result r = run(cnn, net, features[k], vRgb[k], h, w, 1);
                single[k] = new float[][] {r.rgb(), r.vFeatures()};
                for (int i = 0; i < singleGrads.length; i++) {
                    singleGrads[i] += r.grads()[i];
                }
            }
            float[][][] slotted = new float[n][][];
            float[] slottedGrads = gl.call(() -> {
                GlBuffer[] in = new GlBuffer[n];
                GlBuffer[] v = new GlBuffer[n];
                try {
                    for (int k = 0; k < n; k++) {
                        in[k] = new GlBuffer("test features " + k);
                        in[k].upload(features[k]);
                        v[k] = new GlBuffer("test dL/dRGB " + k);
                        v[k].upload(vRgb[k]);
                    }
                    cnn.zeroGradients();
                    cnn.forward(in, n, h, w);
                    cnn.backward(v, n);
                    for (int k = 0; k < n; k++) {
                        slotted[k] = new float[][] {cnn.rgb(k).readFloats(3 * h * w),
                                cnn.featureGradient(k).readFloats(channels * h * w)};
                    }
                    return cnn.gradients().readFloats(cnn.parameterCount());
                } finally {
                    for (int k = 0; k < n; k++) {
                        in[k].close();
                        v[k].close();
                    }
                }
            });
            StringBuilder report = new StringBuilder("frames in slots vs one at a time:");
            for (int k = 0; k < n; k++) {
                double rgb = GlCnnParityTest.relativeL2(single[k][0], slotted[k][0]);
                double vf = GlCnnParityTest.relativeL2(single[k][1], slotted[k][1]);
                report.append(String.format(" frame %d rgb %.1e, v_features %.1e;", k, rgb, vf));
                assertTrue(rgb < 1e-6 && vf < 1e-6, report::toString);
            }
            double g = GlCnnParityTest.relativeL2(singleGrads, slottedGrads);
            report.append(String.format(" gradients %.1e", g));
            System.out.println(report);
            assertTrue(g < 1e-5, report::toString);
            RuntimeException tooMany = assertThrows(RuntimeException.class, () -> gl.call(() -> {
                cnn.forward(new GlBuffer[n + 1], n + 1, h, w);
                return null;
            }));
            assertTrue(tooMany.getMessage().contains("4 frames for a CNN of 3 frame slots"), tooMany::getMessage);
        }
    }

    /** The slots a size gets stay within a quarter of the device's memory, and are never fewer than one. */
    @Test
    void frameSlotsStayWithinAQuarterOfTheDevicesMemory() {
        assertEquals(10, GlVkTrainerCnn.slotsWithin(4_000, 100, 10));
        assertEquals(3, GlVkTrainerCnn.slotsWithin(399, 100, 10));
        assertEquals(1, GlVkTrainerCnn.slotsWithin(50, 100, 10));
        GlContext gl = SharedContext.get();
        try (GlVkTrainerCnn cnn = gl.call(() -> GlVkTrainerCnn.open(gl, 8, precision(), false, 6))) {
            assertEquals(6, cnn.frameSlots(24, 24));
            // a slot of 30000² takes hundreds of GB: one slot, never none
            assertEquals(1, cnn.frameSlots(30_000, 30_000));
        }
    }

    /**
     * A batch of three frames with two frame slots (a pass of two, then one) against the CPU Trainer: frames are
     * grouped through the slots, and every group's gradients reach the step.
     */
    @Test
    void aStepOfMoreFramesThanSlotsMatchesTheCpuTrainer() {
        Scenes.TrainingScene cpu = Scenes.trainingScene(24, 4, 10, 8, 3, 23);
        Scenes.TrainingScene gpu = Scenes.trainingScene(24, 4, 10, 8, 3, 23);
        List<TrainingFrame> batch = List.of(cpu.frames().get(0), cpu.frames().get(1), cpu.frames().get(2));
        GlContext gl = SharedContext.get();
        Map<String, Double> errors = Parity.trainingStep(gl, cpu, gpu, batch,
                channels -> GlVkTrainerCnn.open(gl, channels, precision(), false, 2));
        System.out.println("training step parity, Vulkan CNN with 2 frame slots, batch 3: " + errors);
        double bound = precision() == VkCnn.Precision.FP32 ? 1e-4 : 3e-2;
        errors.forEach((k, e) -> assertTrue(e < (k.equals("loss") ? bound / 10 : bound), k + " relative error "
                + e));
    }

    /** After a few steps, the trainer's own render equals a GL-CNN trainer's render of the same parameters. */
    @Test
    void rendersAfterStepsMatchTheGlCnnOnTheSameParameters() {
        Scenes.TrainingScene scene = Scenes.trainingScene(24, 4, 10, 8, 3, 21);
        GlContext gl = SharedContext.get();
        try (org.portraitgen.field.gl.internal.train.GlTrainer vk = new org.portraitgen.field.gl.internal.train
                .GlTrainer(gl, scene.field(), org.portraitgen.field.internal.train.LossWeights.portraitGen(),
                        channels -> GlVkTrainerCnn.open(gl, channels, precision(), false))) {
            for (int i = 0; i < 3; i++) {
                vk.step(List.of(scene.frames().get(i % 3)));
            }
            float[] vkRender = vk.render(scene.frames().get(1));
            try (org.portraitgen.field.gl.internal.train.GlTrainer glTrainer = new org.portraitgen.field.gl.internal
                    .train.GlTrainer(gl, vk.field(), org.portraitgen.field.internal.train.LossWeights.portraitGen(),
                            channels -> new org.portraitgen.field.gl.internal.cnn.GlCnn(gl.shaders(), channels))) {
                float[] glRender = glTrainer.render(scene.frames().get(1));
                double e = GlCnnParityTest.relativeL2(glRender, vkRender);
                System.out.println("render after 3 steps, Vulkan CNN vs GL CNN on the same parameters: " + e);
                assertTrue(e < 1e-4, "render differs: " + e);
            }
        }
    }
}
