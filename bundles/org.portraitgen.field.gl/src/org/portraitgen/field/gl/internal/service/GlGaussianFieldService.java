package org.portraitgen.field.gl.internal.service;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.train.GlLosses;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.gl.internal.raster.GaussianParams;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.internal.FieldHandles;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.train.FieldTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.TrainingBackend;
import org.portraitgen.field.gl.internal.cnn.GlCnn;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.gl.internal.vk.VkRenderCnn;

/**
 * {@link GaussianFieldService} on the GPU: the field is posed by the rig on the CPU (as the reference does), then
 * rasterized by {@link GlRasterizer} and turned into RGB by {@link GlCnn} on the shared context's GL thread; only
 * the RGB comes back. It also trains ({@link TrainingBackend}: {@code field.lift} uses {@link GlTrainer} through it).
 * Fields and checkpoints are the CPU service's, so either backend reads the other's files.
 */
public final class GlGaussianFieldService implements GaussianFieldService, TrainingBackend, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GlGaussianFieldService.class.getName());

    private final GlContext gl;
    private volatile String gpuBroken;
    private final GlRasterizer rasterizer;
    private final Workers workers = new Workers(Runtime.getRuntime().availableProcessors());
    private final FieldHandles fields = new FieldHandles(workers);

    /** One GPU CNN per feature-channel count in use; weights are uploaded per render (a few hundred KB). */
    private final Map<Integer, GlCnn> cnns = new HashMap<>();

    /** The Vulkan render CNN ({@link VkRenderCnn} says when), else null: the GL CNN renders. */
    private volatile VkRenderCnn vulkanCnn;
    /** The render CNN's report line: Vulkan and its device, or gl and why. */
    private volatile String vulkanReport;

    public GlGaussianFieldService(GlContext gl) {
        this.gl = gl;
        this.rasterizer = gl.call(() -> {
            GlRasterizer r = new GlRasterizer(gl);
            try {
                GlCnn cnn = new GlCnn(gl.shaders(), 32);
                cnns.put(32, cnn);
                smokeTest(r, cnn);
            } catch (RuntimeException e) {
                r.close();
                cnns.values().forEach(GlCnn::close);
                throw e;
            }
            return r;
        });
        VkRenderCnn vk = null;
        String vkReport = null;
        VkRenderCnn.Request request = VkRenderCnn.Request.GL;
        try {
            request = VkRenderCnn.requested();
            switch (request) {
                case AUTO -> vk = VkRenderCnn.openIfShared(gl, 32);
                case VULKAN_FP16 -> vk = VkRenderCnn.open(gl);
                case GL -> vkReport = "render CNN:        gl (-D" + VkRenderCnn.PROPERTY + "=gl)";
            }
            if (vk != null) {
                vkReport = "render CNN:        vulkan-fp16 on " + vk.capabilities().deviceName();
            }
        } catch (GlException | IllegalArgumentException | LinkageError e) {
            vkReport = "render CNN:        gl (" + e.getMessage() + ")";
            // only a failed explicit request is worth a warning; unset, the GL CNN is simply the one that serves
            LOG.log(request == VkRenderCnn.Request.AUTO ? Level.DEBUG : Level.WARNING, "render CNN: gl: "
                    + e.getMessage());
        }
        this.vulkanCnn = vk;
        this.vulkanReport = vkReport;
    }

    /**
     * Every program of the default field (32 channels) compiles and runs once now, at start-up, on one Gaussian at
     * 16x16: a driver that cannot compile or run a kernel shows here, while the CPU service can still take over,
     * instead of on a user's first render. The programs stay cached in the context's ShaderLibrary.
     */
    private void smokeTest(GlRasterizer r, GlCnn cnn) {
        Gaussians one = new Gaussians(1, 32);
        one.means[2] = 3;
        one.quats[0] = 1;
        Camera cam = new Camera(16, 16, 20, 20, 8, 8, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
        r.upload(GaussianParams.of(1, 32, one.means, one.logScales, one.quats, one.opacityLogits, one.features));
        r.forward(cam);
        cnn.uploadParameters(new NeuralRenderer(32));
        cnn.forward(r.featureImage(), 16, 16);
        cnn.backward(new float[3 * 16 * 16]);
        r.imageGradients().zero(4L * 34 * 16 * 16);
        r.backwardOnGpu();
        try (GlLosses losses = new GlLosses(gl.shaders())) {
            gl.shaders().program("cnn/adam.comp", Map.of());
        }
        GlBuffer.checkError("the start-up smoke test");
    }

    @Override
    public FieldTrainer trainer(GaussianField field, LossWeights weights) {
        String broken = gpuBroken;
        if (broken != null) {
            throw new GlException("the GPU path is off since an earlier failure: " + broken);
        }
        return new GlTrainer(gl, field, weights);
    }

    /** Why renders go to the CPU now (a lost or closed context), or null while the GPU serves. */
    public String fallbackReason() {
        return gpuBroken;
    }

    @Override
    public String device() {
        return "gl: " + gl.capabilities().renderer() + ", " + gl.capabilities().version();
    }

    @Override
    public String backend() {
        return "gl";
    }

    public FieldHandle adopt(GaussianField field) {
        return fields.adopt(field);
    }

    @Override
    public FieldHandle load(Path checkpoint) throws IOException {
        return fields.load(checkpoint);
    }

    @Override
    public void save(FieldHandle field, Path checkpoint) throws IOException {
        fields.save(field, checkpoint);
    }

    @Override
    public FloatImage render(FieldHandle handle, RigState state) throws IOException {
        GaussianField f = fields.get(handle);
        TriangleFrames frames = TriangleFrames.of(state.vertices(), f.binding.triangles, f.binding.vertexCount,
                "frame " + state.frame());
        Gaussians world = f.binding.toWorld(f.local, state.vertices(), frames);
        Camera cam = GaussianField.cameraOf(state);
        if (gpuBroken == null) {
            try {
                return new FloatImage(cam.width(), cam.height(), 3, renderOnGpu(f, world, cam));
            } catch (GlException e) {
                // out of memory or too large: this request only; a lost or closed context: from now on
                boolean permanent = gl.isClosed() || e.getMessage().contains("context was lost");
                if (permanent) {
                    gpuBroken = e.getMessage();
                }
                LOG.log(Level.WARNING, "GPU render failed (" + e.getMessage() + "); rendering "
                        + (permanent ? "on the CPU from now on" : "this request on the CPU"));
            }
        }
        CnnEngine cnn = fields.renderingEngine(handle);
        synchronized (cnn) { // one request at a time per engine, as in the CPU service
            try (GaussianField.Frame fr = f.render(state, new Rasterizer(workers), cnn)) {
                return new FloatImage(cam.width(), cam.height(), 3, fr.rgb());
            }
        }
    }

    /** The capability report's line about the render CNN: which one serves and why. */
    public String renderCnnReport() {
        return vulkanReport;
    }

    /** How features reach the Vulkan render CNN (shared buffer or the host), or null when the GL CNN renders. */
    public String vulkanFeaturePath() {
        VkRenderCnn vk = vulkanCnn;
        return vk == null ? null : vk.featurePath();
    }

    private float[] renderOnGpu(GaussianField f, Gaussians world, Camera cam) {
        GaussianParams params = GaussianParams.of(world.count, world.channels, world.means, world.logScales,
                world.quats, world.opacityLogits, world.features);
        VkRenderCnn vk = vulkanCnn;
        if (vk != null) {
            synchronized (vk) { // the feature image stays this request's until the CNN has read it
                gl.call(() -> {
                    rasterizer.upload(params);
                    rasterizer.forward(cam);
                    return null;
                });
                try {
                    return vk.forward(f.renderer, rasterizer.featureImage(), cam.height(), cam.width());
                } catch (GlException | LinkageError e) {
                    // the GL CNN takes over for good; the rasterizer's work is redone below, once
                    vulkanCnn = null;
                    vulkanReport = "render CNN:        gl (the Vulkan CNN failed: " + e.getMessage() + ")";
                    LOG.log(Level.WARNING, "Vulkan render CNN failed (" + e.getMessage() + "); the GL CNN renders "
                            + "from now on");
                    vk.close();
                }
            }
        }
        return gl.call(() -> {
            GlCnn cnn = cnns.computeIfAbsent(world.channels, c -> new GlCnn(gl.shaders(), c));
            rasterizer.upload(params);
            rasterizer.forward(cam);
            cnn.uploadParameters(f.renderer);
            cnn.forward(rasterizer.featureImage(), cam.height(), cam.width());
            return cnn.rgb().readFloats(3 * cam.width() * cam.height());
        });
    }

    /** The [C, H, W] feature image of posed Gaussians, computed on the GPU. */
    public float[] rasterize(Gaussians world, Camera cam) {
        GaussianParams params = GaussianParams.of(world.count, world.channels, world.means, world.logScales,
                world.quats, world.opacityLogits, world.features);
        return gl.call(() -> {
            rasterizer.upload(params);
            rasterizer.forward(cam);
            return rasterizer.readForward().features();
        });
    }

    @Override
    public void release(FieldHandle field) {
        fields.release(field);
    }

    @Override
    public void close() {
        fields.close();
        VkRenderCnn vk = vulkanCnn;
        if (vk != null) {
            vulkanCnn = null;
            vk.close();
        }
        if (gl.isClosed()) {
            workers.close();
            return;
        }
        gl.call(() -> {
            rasterizer.close();
            cnns.values().forEach(GlCnn::close);
            cnns.clear();
            return null;
        });
        workers.close();
    }
}
