package org.portraitgen.field.gl.internal.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.portraitgen.field.gl.GlCapabilities;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.gl.internal.vk.GlVkTrainerCnn;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.internal.bench.LiftBench;
import org.portraitgen.field.internal.loss.Adam;
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
 * runs the Vulkan engine's fp32 kernels instead (to tell fp16 effects from the rest of the Vulkan path);
 * {@code -Dportraitgen.bench.stages=true} prints the steps' GPU time by stage at the end.
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
                    GlTrainer t = "vulkan-fp32".equals(System.getProperty("portraitgen.bench.cnn"))
                            ? new GlTrainer(gl, field, weights, c -> GlVkTrainerCnn.open(gl, c, VkCnn.Precision.FP32,
                                    true))
                            : new GlTrainer(gl, field, weights);
                    return Boolean.getBoolean("portraitgen.bench.stages") ? new StagesReported(gl, t) : t;
                }

                @Override
                public float[] render(FieldTrainer trainer, TrainingFrame frame) {
                    GlTrainer t = trainer instanceof StagesReported s ? s.trainer : (GlTrainer) trainer;
                    return t.render(frame);
                }
            });
        }
    }

    /**
     * With {@code -Dportraitgen.bench.stages=true}: the trainer's steps timed by stage (GL_TIMESTAMP between
     * GlTrainer's marks, summed over the batch), printed with the steps taken again when the trainer closes.
     */
    private static final class StagesReported implements FieldTrainer {
        private final GlContext gl;
        private final GlTrainer trainer;
        private final StepStages stages = new StepStages();

        StagesReported(GlContext gl, GlTrainer trainer) {
            this.gl = gl;
            this.trainer = trainer;
            trainer.setStageMarks(stages);
        }

        @Override
        public GaussianField field() {
            return trainer.field();
        }

        @Override
        public Adam optimiser() {
            return trainer.optimiser();
        }

        @Override
        public double step(List<TrainingFrame> batch) {
            gl.call(() -> {
                stages.begin();
                return null;
            });
            double loss = trainer.step(batch);
            gl.call(() -> {
                stages.end();
                return null;
            });
            return loss;
        }

        @Override
        public double psnr(TrainingFrame f) {
            return trainer.psnr(f);
        }

        @Override
        public void close() {
            System.out.printf("%nstep stages, GPU ms per step (GL_TIMESTAMP, median over the steps): %.1f: %s; steps "
                    + "taken again (a frame outgrew its pair buffers): %d%n", stages.total(), stages.summary(),
                    trainer.stepsTakenAgain());
            trainer.close();
        }
    }
}
