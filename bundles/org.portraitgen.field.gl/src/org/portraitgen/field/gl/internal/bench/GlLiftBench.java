package org.portraitgen.field.gl.internal.bench;

import java.io.IOException;
import java.util.Map;

import org.portraitgen.field.gl.GlCapabilities;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.gl.internal.vk.GlVkTrainerCnn;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.internal.bench.LiftBench;
import org.portraitgen.field.internal.train.FieldTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The lifting benchmark ({@link LiftBench}: same inputs file, options and table) with the GPU trainer, a plain
 * {@code main} like {@link GlBench} so that it runs on the GPU machine without OSGi.
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.GlLiftBench FILE [steps=300] [every=50] ...</pre>
 *
 * The trainer's CNN is the one {@code -Dportraitgen.gpu.cnn} picks; {@code -Dportraitgen.bench.cnn=vulkan-fp32}
 * runs the Vulkan engine's fp32 kernels instead (to tell fp16 effects from the rest of the Vulkan path).
 */
public final class GlLiftBench {
    private GlLiftBench() {
    }

    public static void main(String[] args) {
        try {
            run(LiftBench.options(args));
        } catch (IOException | RuntimeException e) {
            LiftBench.fail(e);
        }
    }

    private static void run(Map<String, String> options) throws IOException {
        try (GlContext gl = GlContext.open()) {
            GlCapabilities caps = gl.capabilities();
            LiftBench.run(options, new LiftBench.Backend() {
                @Override
                public String device() {
                    return "GPU, OpenGL compute: " + caps.renderer() + ", " + caps.version() + "; CNN: "
                            + System.getProperty("portraitgen.bench.cnn", System.getProperty("portraitgen.gpu.cnn",
                                    "default"));
                }

                @Override
                public FieldTrainer trainer(GaussianField field, LossWeights weights) {
                    if ("vulkan-fp32".equals(System.getProperty("portraitgen.bench.cnn"))) {
                        return new GlTrainer(gl, field, weights, c -> GlVkTrainerCnn.open(gl, c,
                                VkCnn.Precision.FP32, true));
                    }
                    return new GlTrainer(gl, field, weights);
                }

                @Override
                public float[] render(FieldTrainer trainer, TrainingFrame frame) {
                    return ((GlTrainer) trainer).render(frame);
                }
            });
        }
    }
}
