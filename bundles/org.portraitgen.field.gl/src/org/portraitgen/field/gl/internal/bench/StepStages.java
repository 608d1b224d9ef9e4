package org.portraitgen.field.gl.internal.bench;

import static org.lwjgl.opengl.GL43C.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * GPU time of a training step's stages from GL_TIMESTAMP queries written at {@link GlTrainer}'s stage marks: the
 * time between two marks goes to the later mark's stage, summed over the batch's frames. Host time inside a stage
 * (the intersect stage's pair-count read-back, the end-of-step status read) shows as GPU idle in that stage. All
 * calls on the GL thread.
 */
final class StepStages implements GlTrainer.StageMarks {
    private final List<Integer> queries = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, List<Double>> perStep = new LinkedHashMap<>();

    /** Call before a step: its first timestamp. */
    void begin() {
        mark("(start)");
    }

    @Override
    public void mark(String stage) {
        int q = glGenQueries();
        glQueryCounter(q, GL_TIMESTAMP);
        queries.add(q);
        names.add(stage);
    }

    /** Call after a step: reads its timestamps (waits for the GPU) and records each stage's sum. */
    void end() {
        Map<String, Double> sums = new LinkedHashMap<>();
        long previous = 0;
        for (int i = 0; i < queries.size(); i++) {
            long t = glGetQueryObjectui64(queries.get(i), GL_QUERY_RESULT);
            if (i > 0) {
                sums.merge(names.get(i), (t - previous) / 1e6, Double::sum);
            }
            previous = t;
            glDeleteQueries(queries.get(i));
        }
        queries.clear();
        names.clear();
        sums.forEach((k, v) -> perStep.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }

    /**
     * Takes {@code steps} steps of {@code batch} with the stages recorded (from the host: a glFinish before each, so no
     * step pays for the previous one) and returns their wall times in ms, sorted.
     */
    double[] timeSteps(GlContext gl, GlTrainer trainer, List<TrainingFrame> batch, int steps) {
        trainer.setStageMarks(this);
        double[] wall = new double[steps];
        try {
            for (int i = 0; i < steps; i++) {
                gl.call(() -> {
                    glFinish();
                    begin();
                    return null;
                });
                long t0 = System.nanoTime();
                trainer.step(batch);
                wall[i] = (System.nanoTime() - t0) / 1e6;
                gl.call(() -> {
                    end();
                    return null;
                });
            }
        } finally {
            trainer.setStageMarks(null);
        }
        Arrays.sort(wall);
        return wall;
    }

    /** "stage ms, ..." of {@link #medians()}. */
    String summary() {
        StringBuilder b = new StringBuilder();
        medians().forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(String.format("%s %.2f", k, v)));
        return b.toString();
    }

    /** The sum of {@link #medians()}: GPU ms per step. */
    double total() {
        return medians().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Median over the recorded steps of each stage's GPU ms per step, in the order stages first came. */
    Map<String, Double> medians() {
        Map<String, Double> out = new LinkedHashMap<>();
        perStep.forEach((k, v) -> {
            double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(a);
            out.put(k, a[a.length / 2]);
        });
        return out;
    }
}
