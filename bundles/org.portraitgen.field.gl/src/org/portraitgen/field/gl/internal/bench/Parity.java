package org.portraitgen.field.gl.internal.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.raster.GaussianParams;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.gl.internal.raster.GlRender;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.loss.Adam;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingFrame;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;

/**
 * The GPU rasterizer against the CPU reference (double precision) on one scene: relative L2 error
 * ||gpu - cpu|| / ||cpu|| of every output and of every gradient group.
 */
public final class Parity {
    private Parity() {
    }

    public static GaussianParams params(Gaussians g) {
        return GaussianParams.of(g.count, g.channels, g.means, g.logScales, g.quats, g.opacityLogits, g.features);
    }

    public static double relativeL2(double[] reference, float[] actual) {
        if (reference.length != actual.length) {
            throw new IllegalArgumentException(reference.length + " reference values, " + actual.length + " actual");
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = actual[i] - reference[i];
            diff += d * d;
            norm += reference[i] * reference[i];
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }

    /** Forward outputs: features, alpha, depth. */
    public static Map<String, Double> forward(GlContext gl, Gaussians g, Camera cam) {
        RasterImage cpu;
        try (Workers workers = new Workers(Runtime.getRuntime().availableProcessors())) {
            cpu = new Rasterizer(workers).forward(g, cam);
        }
        GlRender gpu = gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(params(g));
                r.forward(cam);
                return r.readForward();
            }
        });
        Map<String, Double> errors = new LinkedHashMap<>();
        errors.put("features", relativeL2(cpu.features, gpu.features()));
        errors.put("alpha", relativeL2(cpu.alpha, gpu.alpha()));
        errors.put("depth", relativeL2(cpu.depth, gpu.depth()));
        return errors;
    }

    /** Gradients of every parameter group for seeded random dL/d(features, alpha, depth). */
    public static Map<String, Double> backward(GlContext gl, Gaussians g, Camera cam, long seed) {
        int pixels = cam.width() * cam.height();
        Random rnd = new Random(seed);
        double[] vFeatures = new double[g.channels * pixels];
        double[] vAlpha = new double[pixels];
        double[] vDepth = new double[pixels];
        for (int i = 0; i < vFeatures.length; i++) {
            vFeatures[i] = rnd.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < pixels; i++) {
            vAlpha[i] = rnd.nextDouble() * 2 - 1;
            vDepth[i] = 0.1 * (rnd.nextDouble() * 2 - 1);
        }
        Gaussians cpuGrad = new Gaussians(g.count, g.channels);
        try (Workers workers = new Workers(Runtime.getRuntime().availableProcessors())) {
            Rasterizer cpu = new Rasterizer(workers);
            RasterImage out = cpu.forward(g, cam);
            cpu.backward(g, cam, out, vFeatures, vAlpha, vDepth, cpuGrad);
        }
        GaussianParams gpuGrad = gl.call(() -> {
            try (GlRasterizer r = new GlRasterizer(gl)) {
                r.upload(params(g));
                r.forward(cam);
                return r.backward(floats(vFeatures), floats(vAlpha), floats(vDepth));
            }
        });
        Map<String, Double> errors = new LinkedHashMap<>();
        errors.put("v_means", relativeL2(cpuGrad.means, gpuGrad.means()));
        errors.put("v_logScales", relativeL2(cpuGrad.logScales, gpuGrad.logScales()));
        errors.put("v_quats", relativeL2(cpuGrad.quats, gpuGrad.quats()));
        errors.put("v_opacityLogits", relativeL2(cpuGrad.opacityLogits, gpuGrad.opacityLogits()));
        errors.put("v_features", relativeL2(cpuGrad.features, gpuGrad.features()));
        return errors;
    }

    /** The GPU binding's world Gaussians against TriangleBinding.toWorld (double) for one posed mesh. */
    public static Map<String, Double> posing(GlContext gl, GaussianField field, float[] vertices) {
        TriangleBinding b = field.binding;
        Gaussians cpu = b.toWorld(field.local, vertices, TriangleFrames.of(vertices, b.triangles, b.vertexCount,
                "parity"));
        GaussianParams gpu = gl.call(() -> {
            try (GlBinding binding = new GlBinding(gl.shaders(), b); GlRasterizer r = new GlRasterizer(gl);
                    GlBuffer local = new GlBuffer("parity local parameters")) {
                local.upload(new GaussianLayout(field.local.count, field.local.channels).flatten(field.local));
                binding.pose(vertices, "parity", local, field.local.channels, r);
                return r.readInput();
            }
        });
        Map<String, Double> errors = new LinkedHashMap<>();
        errors.put("means", relativeL2(cpu.means, gpu.means()));
        errors.put("logScales", relativeL2(cpu.logScales, gpu.logScales()));
        errors.put("quats", relativeL2(cpu.quats, gpu.quats()));
        return errors;
    }

    /**
     * One training step of the CPU {@code Trainer} (Java CNN, double losses) and of {@link GlTrainer} from identical
     * copies of a field (two scenes built from one seed) on the same batch: the loss (relative difference) and every
     * Adam group's gradient, recovered from the first moment after the step (m = (1 - beta1) g at step one).
     */
    public static Map<String, Double> trainingStep(GlContext gl, Scenes.TrainingScene cpuScene,
            Scenes.TrainingScene gpuScene, List<TrainingFrame> batch) {
        return trainingStep(gl, cpuScene, gpuScene, batch, null);
    }

    /** As above with the GL trainer's CNN made by {@code cnnFactory} (null: the one the trainer picks itself). */
    public static Map<String, Double> trainingStep(GlContext gl, Scenes.TrainingScene cpuScene,
            Scenes.TrainingScene gpuScene, List<TrainingFrame> batch,
            java.util.function.IntFunction<org.portraitgen.field.gl.internal.cnn.TrainerCnn> cnnFactory) {
        Map<String, Double> errors = new LinkedHashMap<>();
        double cpuLoss;
        Adam cpuAdam;
        try (Workers workers = new Workers(Runtime.getRuntime().availableProcessors())) {
            Trainer cpu = new Trainer(cpuScene.field(), LossWeights.portraitGen(), workers);
            cpuLoss = cpu.step(batch);
            cpuAdam = cpu.optimiser();
        }
        double gpuLoss;
        Adam gpuAdam;
        try (GlTrainer gpu = cnnFactory == null ? new GlTrainer(gl, gpuScene.field(), LossWeights.portraitGen())
                : new GlTrainer(gl, gpuScene.field(), LossWeights.portraitGen(), cnnFactory)) {
            List<TrainingFrame> gpuBatch = new ArrayList<>();
            for (TrainingFrame f : batch) {
                gpuBatch.add(gpuScene.frames().get(f.state().frame()));
            }
            gpuLoss = gpu.step(gpuBatch);
            gpuAdam = gpu.optimiser();
        }
        errors.put("loss", Math.abs(gpuLoss - cpuLoss) / Math.abs(cpuLoss));
        List<Adam.Group> c = cpuAdam.groups();
        List<Adam.Group> g = gpuAdam.groups();
        for (int i = 0; i < c.size(); i++) {
            float[] m = new float[g.get(i).m.length];
            for (int k = 0; k < m.length; k++) {
                m[k] = (float) g.get(i).m[k];
            }
            errors.put("v_" + c.get(i).name, relativeL2(c.get(i).m, m));
        }
        return errors;
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
