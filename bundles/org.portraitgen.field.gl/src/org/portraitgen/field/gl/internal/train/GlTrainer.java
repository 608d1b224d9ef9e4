package org.portraitgen.field.gl.internal.train;

import static org.lwjgl.opengl.GL43C.*;

import java.util.List;
import java.util.Map;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.core.ImageMetrics;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.cnn.GlCnn;
import org.portraitgen.field.gl.internal.raster.GaussianParams;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.loss.Adam;
import org.portraitgen.field.internal.loss.Losses;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.train.FieldTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.NonFiniteException;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The training step of the CPU {@code Trainer} with every image on the GPU: rasterize → neural renderer → L1,
 * D-SSIM, feature-L1 and mask losses → CNN backward → rasterizer backward, batch-accumulated, then Adam for the
 * renderer on the GPU. What crosses to the host per frame is per-Gaussian, not per-pixel: the posed Gaussians go
 * up and their gradients come down, because the triangle binding (posing by the rig, and its backward) and the
 * Gaussians' Adam stay on the CPU in double, as in the reference. Targets and masks go up once per frame.
 *
 * <p>The renderer's parameters and Adam moments live on the GPU between steps; {@link #field()} and
 * {@link #optimiser()} bring them back to the host, and a step after {@link #optimiser()} sends the host state
 * up again (a restored checkpoint writes into it).
 */
public final class GlTrainer implements FieldTrainer {
    private final GlContext gl;
    private final GaussianField field;
    private final LossWeights weights;
    private final Gaussians vLocal;
    private final NeuralRenderer vRendererHost;
    private final Adam adam = new Adam();
    private final GlRasterizer rasterizer;
    private final GlCnn cnn;
    private final GlLosses losses;
    private final ShaderLibrary shaders;
    private final GlBuffer target = new GlBuffer("training target RGB");
    private final GlBuffer mask = new GlBuffer("training mask");
    private final GlBuffer vRgb = new GlBuffer("dL/dRGB");
    private final GlBuffer adamM = new GlBuffer("renderer Adam m");
    private final GlBuffer adamV = new GlBuffer("renderer Adam v");
    /** The host holds the current renderer parameters and moments (at start, after optimiser()). */
    private boolean hostCurrent = true;
    /** The GPU's renderer parameters are newer than the host's. */
    private boolean gpuNewer;

    public GlTrainer(GlContext gl, GaussianField field, LossWeights weights) {
        this.gl = gl;
        this.field = field;
        this.weights = weights;
        Gaussians g = field.local;
        vLocal = new Gaussians(g.count, g.channels);
        vRendererHost = new NeuralRenderer(g.channels);
        // the CPU Trainer's groups, in its order, so checkpoints are interchangeable
        Trainer.addGroups(adam, field, weights, vLocal, vRendererHost);
        Object[] parts = gl.call(() -> {
            GlRasterizer r = new GlRasterizer(gl);
            GlCnn c = new GlCnn(gl.shaders(), g.channels);
            GlLosses l = new GlLosses(gl.shaders());
            gl.shaders().program("cnn/adam.comp", Map.of());
            return new Object[] {r, c, l, gl.shaders()};
        });
        rasterizer = (GlRasterizer) parts[0];
        cnn = (GlCnn) parts[1];
        losses = (GlLosses) parts[2];
        shaders = (ShaderLibrary) parts[3];
    }

    @Override
    public GaussianField field() {
        syncToHost(false);
        return field;
    }

    @Override
    public Adam optimiser() {
        syncToHost(true);
        hostCurrent = true;
        return adam;
    }

    private boolean isRenderer(Adam.Group g) {
        return g.name.startsWith(Trainer.RENDERER_GROUP);
    }

    /** Brings the renderer's parameters (and, with {@code moments}, Adam's m and v) from the GPU. */
    private void syncToHost(boolean moments) {
        if (!gpuNewer && !moments) {
            return;
        }
        gl.call(() -> {
            if (gpuNewer) {
                cnn.downloadParameters(field.renderer);
            }
            if (moments && !hostCurrent) {
                copyMoments(adamM.readFloats(cnn.parameterCount()), true);
                copyMoments(adamV.readFloats(cnn.parameterCount()), false);
            }
            return null;
        });
        gpuNewer = false;
    }

    private void copyMoments(float[] flat, boolean first) {
        int o = 0;
        for (Adam.Group g : adam.groups()) {
            if (isRenderer(g)) {
                double[] dst = first ? g.m : g.v;
                for (int i = 0; i < dst.length; i++) {
                    dst[i] = flat[o++];
                }
            }
        }
    }

    private float[] flatMoments(boolean first) {
        float[] flat = new float[cnn.parameterCount()];
        int o = 0;
        for (Adam.Group g : adam.groups()) {
            if (isRenderer(g)) {
                double[] src = first ? g.m : g.v;
                for (double d : src) {
                    flat[o++] = (float) d;
                }
            }
        }
        return flat;
    }

    private void uploadHostState() {
        cnn.uploadParameters(field.renderer);
        adamM.upload(flatMoments(true));
        adamV.upload(flatMoments(false));
    }

    @Override
    public double step(List<TrainingFrame> batch) {
        vLocal.zero();
        gl.call(() -> {
            if (hostCurrent) {
                uploadHostState();
                hostCurrent = false;
            }
            cnn.zeroGradients();
            losses.begin();
            return null;
        });
        for (TrainingFrame f : batch) {
            accumulate(f, 1.0 / batch.size());
        }
        Gaussians g = field.local;
        double regularisers = Losses.offsetRegulariser(g.means, weights.offsetThreshold(), weights.offsetWeight(),
                vLocal.means) + Losses.scaleRegulariser(g.logScales, weights.scaleThreshold(), weights.scaleWeight(),
                        vLocal.logScales);
        double[] sums = gl.call(() -> new double[] {losses.total(), losses.sumOf(cnn.gradients(),
                cnn.parameterCount())});
        double loss = sums[0] + regularisers;
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("loss is " + loss + " at step " + (adam.step() + 1));
        }
        // checked before the update, so a bad gradient never reaches the parameters (the renderer's: their sum)
        String bad = Double.isFinite(sums[1]) ? adam.firstNonFiniteGradient() : "renderer";
        if (bad != null) {
            throw new NonFiniteException("gradient of group '" + bad + "' is not finite at step " + (adam.step() + 1));
        }
        adam.update(grp -> !isRenderer(grp)); // the Gaussians, on the host
        double c1 = adam.biasCorrection1();
        double c2 = adam.biasCorrection2();
        gl.call(() -> {
            int program = shaders.program("cnn/adam.comp", Map.of());
            cnn.parameters().bind(0);
            cnn.gradients().bind(1);
            adamM.bind(2);
            adamV.bind(3);
            int n = cnn.parameterCount();
            Dispatch.uniform(program, 0, n);
            Dispatch.uniform(program, 1, (float) weights.lrRenderer());
            Dispatch.uniform(program, 2, (float) Adam.BETA1);
            Dispatch.uniform(program, 3, (float) Adam.BETA2);
            Dispatch.uniform(program, 4, (float) c1);
            Dispatch.uniform(program, 5, (float) c2);
            Dispatch.uniform(program, 6, (float) Adam.EPS_RENDERER);
            Dispatch.run(program, Dispatch.groups(n, 256), 1);
            GlBuffer.checkError("Adam on the renderer");
            return null;
        });
        gpuNewer = true;
        return loss;
    }

    /** One frame's forward, losses and backward; parameter gradients add up on the GPU and in vLocal. */
    private void accumulate(TrainingFrame f, double scale) {
        TriangleFrames frames = TriangleFrames.of(f.state().vertices(), field.binding.triangles,
                field.binding.vertexCount, "frame " + f.state().frame());
        Gaussians world = field.binding.toWorld(field.local, f.state().vertices(), frames);
        Camera cam = GaussianField.cameraOf(f.state());
        GaussianParams params = paramsOf(world);
        int w = cam.width();
        int h = cam.height();
        int plane = w * h;
        int channels = world.channels;
        GaussianParams grads = gl.call(() -> {
            rasterizer.upload(params);
            rasterizer.forward(cam);
            cnn.forward(rasterizer.featureImage(), h, w);
            target.upload(f.rgb().data());
            vRgb.zero(4L * 3 * plane);
            losses.l1(cnn.rgb(), 0, target, 0, 3 * plane, scale * weights.rgbL1(), vRgb, 0);
            losses.dssim(cnn.rgb(), target, 0, 3, h, w, scale * weights.dssim(), vRgb);
            cnn.backward(vRgb);
            GlBuffer vImages = rasterizer.imageGradients();
            vImages.zero(4L * (channels + 2) * plane);
            glBindBuffer(GL_COPY_READ_BUFFER, cnn.featureGradient().id());
            glBindBuffer(GL_COPY_WRITE_BUFFER, vImages.id());
            glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0, 4L * channels * plane);
            glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
            losses.l1(rasterizer.featureImage(), 0, target, 0, 3 * plane, scale * weights.featureL1(), vImages, 0);
            if (f.mask() != null) {
                mask.upload(f.mask().data());
                losses.l1(rasterizer.auxImage(), 0, mask, 0, plane, scale * weights.mask(), vImages,
                        channels * plane);
            }
            rasterizer.backwardOnGpu();
            return rasterizer.readGradients();
        });
        Gaussians vWorld = new Gaussians(world.count, channels);
        copy(grads.means(), vWorld.means);
        copy(grads.logScales(), vWorld.logScales);
        copy(grads.quats(), vWorld.quats);
        copy(grads.opacityLogits(), vWorld.opacityLogits);
        copy(grads.features(), vWorld.features);
        field.binding.backward(vWorld, frames, vLocal);
    }

    private static GaussianParams paramsOf(Gaussians g) {
        return GaussianParams.of(g.count, g.channels, g.means, g.logScales, g.quats, g.opacityLogits, g.features);
    }

    private static void copy(float[] from, double[] to) {
        for (int i = 0; i < to.length; i++) {
            to[i] = from[i];
        }
    }

    /** Renders the frame with the GPU's current parameters and reads the RGB back (validation only). */
    public float[] render(TrainingFrame f) {
        TriangleFrames frames = TriangleFrames.of(f.state().vertices(), field.binding.triangles,
                field.binding.vertexCount, "frame " + f.state().frame());
        GaussianParams params = paramsOf(field.binding.toWorld(field.local, f.state().vertices(), frames));
        Camera cam = GaussianField.cameraOf(f.state());
        return gl.call(() -> {
            if (hostCurrent) {
                uploadHostState();
                hostCurrent = false;
            }
            rasterizer.upload(params);
            rasterizer.forward(cam);
            cnn.forward(rasterizer.featureImage(), cam.height(), cam.width());
            return cnn.rgb().readFloats(3 * cam.width() * cam.height());
        });
    }

    @Override
    public double psnr(TrainingFrame f) {
        float[] rgb = render(f);
        return ImageMetrics.psnr(new FloatImage(f.rgb().width(), f.rgb().height(), 3, rgb), f.rgb());
    }

    /** GPU memory this trainer holds, bytes. */
    public long bufferBytes() {
        return rasterizer.bufferBytes() + cnn.bufferBytes() + target.capacity() + mask.capacity() + vRgb.capacity()
                + adamM.capacity() + adamV.capacity();
    }

    @Override
    public void close() {
        gl.call(() -> {
            rasterizer.close();
            cnn.close();
            losses.close();
            for (GlBuffer b : new GlBuffer[] {target, mask, vRgb, adamM, adamV}) {
                b.close();
            }
            return null;
        });
    }
}
