package org.portraitgen.field.internal.train;

import java.util.List;

import org.portraitgen.core.ImageMetrics;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.field.internal.StageClock;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.loss.Adam;
import org.portraitgen.field.internal.loss.Losses;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.Rasterizer;

/** One optimisation step at a time on a batch of frames: forward, losses, backward through everything, Adam. */
public final class Trainer implements FieldTrainer {
    private final GaussianField field;
    private final LossWeights weights;
    private final CnnEngine engine;
    private final Rasterizer rasterizer;
    private final Workers workers;
    private final Gaussians vLocal;
    private final NeuralRenderer vRenderer;
    final Adam adam = new Adam();
    private StageClock clock = StageClock.NONE;

    /** With the plain-Java CNN engine. */
    public Trainer(GaussianField field, LossWeights weights, Workers workers) {
        this(field, weights, workers, new JavaCnn(workers));
    }

    public Trainer(GaussianField field, LossWeights weights, Workers workers, CnnEngine engine) {
        this.field = field;
        this.weights = weights;
        this.engine = engine;
        this.rasterizer = new Rasterizer(workers);
        this.workers = workers;
        Gaussians g = field.local;
        vLocal = new Gaussians(g.count, g.channels);
        vRenderer = new NeuralRenderer(g.channels);
        addGroups(adam, field, weights, vLocal, vRenderer);
    }

    /**
     * The optimiser's groups of a field, in the order checkpoints store them: the Gaussians' five, then the
     * renderer's weights and biases layer by layer ("renderer0", ...). Every trainer uses this, so checkpoints are
     * interchangeable between them.
     */
    public static void addGroups(Adam adam, GaussianField field, LossWeights weights, Gaussians vLocal,
            NeuralRenderer vRenderer) {
        Gaussians g = field.local;
        adam.add("offsets", weights.lrPosition(), g.means, vLocal.means);
        adam.add("scales", weights.lrScale(), g.logScales, vLocal.logScales);
        adam.add("rotations", weights.lrRotation(), g.quats, vLocal.quats);
        adam.add("opacities", weights.lrOpacity(), g.opacityLogits, vLocal.opacityLogits);
        adam.add("features", weights.lrFeatures(), g.features, vLocal.features);
        float[][] p = field.renderer.parameters();
        float[][] v = vRenderer.parameters();
        for (int i = 0; i < p.length; i++) {
            adam.add(RENDERER_GROUP + i, weights.lrRenderer(), p[i], v[i]);
        }
    }

    /** The name prefix of the renderer's optimiser groups. */
    public static final String RENDERER_GROUP = "renderer";

    @Override
    public GaussianField field() {
        return field;
    }

    @Override
    public Adam optimiser() {
        return adam;
    }

    public Rasterizer rasterizer() {
        return rasterizer;
    }

    /** Reports every following step's stages to {@code clock} (the benchmark's per-stage table). */
    public void setStageClock(StageClock clock) {
        this.clock = clock == null ? StageClock.NONE : clock;
    }

    /** Runs one step; returns the mean loss over the batch. */
    @Override
    public double step(List<TrainingFrame> batch) {
        vLocal.zero();
        vRenderer.zero();
        clock.lap("zero gradients");
        double loss = 0;
        for (TrainingFrame f : batch) {
            loss += accumulate(f, 1.0 / batch.size());
        }
        Gaussians g = field.local;
        loss += Losses.offsetRegulariser(g.means, weights.offsetThreshold(), weights.offsetWeight(), vLocal.means);
        loss += Losses.scaleRegulariser(g.logScales, weights.scaleThreshold(), weights.scaleWeight(),
                vLocal.logScales);
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("loss is " + loss + " at step " + (adam.step() + 1));
        }
        // checked before the update, so a bad gradient never reaches the parameters
        String bad = adam.firstNonFiniteGradient();
        if (bad != null) {
            throw new NonFiniteException("gradient of group '" + bad + "' is not finite at step " + (adam.step() + 1));
        }
        adam.update();
        clock.lap("regularisers + Adam");
        return loss;
    }

    /** Forward and backward of one frame with its losses scaled by {@code scale}; gradients add up. */
    double accumulate(TrainingFrame f, double scale) {
        try (GaussianField.Frame fr = field.render(f.state(), rasterizer, engine, clock)) {
            return accumulate(f, fr, scale);
        }
    }

    private double accumulate(TrainingFrame f, GaussianField.Frame fr, double scale) {
        int w = fr.camera().width();
        int h = fr.camera().height();
        int plane = w * h;
        float[] rgbF = fr.rgb();
        double[] rgb = new double[rgbF.length];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = rgbF[i];
        }
        double[] target = new double[3 * plane];
        float[] t = f.rgb().data();
        for (int i = 0; i < target.length; i++) {
            target[i] = t[i];
        }
        double[] vRgb = new double[rgb.length];
        double loss = Losses.l1(rgb, 0, target, 0, rgb.length, scale * weights.rgbL1(), vRgb, 0);
        loss += Losses.dssim(rgb, target, 3, h, w, scale * weights.dssim(), vRgb, workers);
        double[] feats = fr.raster().features;
        double[] vFeat = new double[feats.length];
        loss += Losses.l1(feats, 0, target, 0, 3 * plane, scale * weights.featureL1(), vFeat, 0);
        double[] vAlpha = null;
        if (f.mask() != null) {
            vAlpha = new double[plane];
            double[] m = new double[plane];
            float[] md = f.mask().data();
            for (int i = 0; i < plane; i++) {
                m[i] = md[i];
            }
            loss += Losses.l1(fr.raster().alpha, 0, m, 0, plane, scale * weights.mask(), vAlpha, 0);
        }
        clock.lap("losses");
        float[] vRgbF = new float[vRgb.length];
        for (int i = 0; i < vRgb.length; i++) {
            vRgbF[i] = (float) vRgb[i];
        }
        float[] vCnn = engine.backward(field.renderer, fr.trace(), vRgbF, vRenderer);
        for (int i = 0; i < vFeat.length; i++) {
            vFeat[i] += vCnn[i];
        }
        clock.lap("CNN backward");
        Gaussians vWorld = new Gaussians(fr.world().count, fr.world().channels);
        rasterizer.backward(fr.world(), fr.camera(), fr.raster(), vFeat, vAlpha, null, vWorld);
        clock.lap("raster backward");
        field.binding.backward(vWorld, fr.frames(), vLocal);
        clock.lap("bind backward");
        return loss;
    }

    @Override
    public double psnr(TrainingFrame f) {
        try (GaussianField.Frame fr = field.render(f.state(), rasterizer, engine)) {
            FloatImage out = new FloatImage(fr.camera().width(), fr.camera().height(), 3, fr.rgb());
            return ImageMetrics.psnr(out, f.rgb());
        }
    }
}
