package org.portraitgen.field.gl.internal.service;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GlHostInts;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.train.GlAdam;
import org.portraitgen.field.gl.internal.train.GlLosses;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.gl.internal.raster.GaussianParams;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.internal.FieldHandles;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.train.FieldTrainer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.TrainingBackend;
import org.portraitgen.field.gl.internal.cnn.GlCnn;
import org.portraitgen.field.gl.internal.train.GlTrainer;
import org.portraitgen.field.gl.internal.vk.VkCnn;
import org.portraitgen.field.gl.internal.vk.VkException;
import org.portraitgen.field.gl.internal.vk.VkRenderCnn;

/**
 * {@link GaussianFieldService} on the GPU: the field is posed by the rig on the GPU ({@link GlBinding}: per render
 * only the rig's vertices go up), rasterized by {@link GlRasterizer} on the shared context's GL thread and turned
 * into RGB by the Vulkan render CNN ({@link VkRenderCnn}, tensor cores) where it serves, else by {@link GlCnn}; only
 * the RGB comes back. Renders called from several threads overlap with the Vulkan CNN (see {@link #renderOnGpu}). A field's binding and local parameters go up on its first
 * render and stay on the GPU until it is released (the neural renderer's weights, a few hundred KB, go up per
 * render). It also trains ({@link TrainingBackend}: {@code field.lift} uses {@link GlTrainer} through it).
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

    /** Where a render's checks land in {@link #renderChecks}: the posing status, the most tile pairs needed. */
    private static final int STATUS = 0;
    private static final int PAIRS_NEEDED = 1;
    /** A render's posing status and pair count, read through mapped memory after its submit; GL thread only. */
    private final GlHostInts renderChecks;
    private final AtomicLong rendersAgain = new AtomicLong();

    /** A field's binding and local parameters on the GPU, by handle id; used and changed on the GL thread only. */
    private final Map<String, GpuField> gpuFields = new HashMap<>();

    private record GpuField(GlBinding binding, GlBuffer local, int channels) implements AutoCloseable {
        static GpuField of(ShaderLibrary shaders, GaussianField f) {
            GlBinding b = new GlBinding(shaders, f.binding);
            GlBuffer local = new GlBuffer("service field's local parameters");
            local.upload(new GaussianLayout(f.local.count, f.local.channels).flatten(f.local));
            GlBuffer.checkError("uploading a field of " + f.local.count + " Gaussians");
            return new GpuField(b, local, f.local.channels);
        }

        @Override
        public void close() {
            binding.close();
            local.close();
        }
    }

    public GlGaussianFieldService(GlContext gl) {
        this.gl = gl;
        Object[] parts = gl.call(() -> {
            GlRasterizer r = new GlRasterizer(gl);
            GlHostInts checks = null;
            try {
                checks = new GlHostInts("render checks (posing status, tile pairs needed)", 2);
                GlCnn cnn = new GlCnn(gl.shaders(), 32);
                cnns.put(32, cnn);
                smokeTest(r, cnn);
            } catch (RuntimeException e) {
                r.close();
                if (checks != null) {
                    checks.close();
                }
                cnns.values().forEach(GlCnn::close);
                throw e;
            }
            return new Object[] {r, checks};
        });
        this.rasterizer = (GlRasterizer) parts[0];
        this.renderChecks = (GlHostInts) parts[1];
        VkRenderCnn vk = null;
        String vkReport = null;
        VkRenderCnn.Request request = VkRenderCnn.Request.GL;
        try {
            request = VkRenderCnn.requested();
            switch (request) {
                case AUTO -> {
                    // a software GL renderer (llvmpipe) imports no Vulkan memory: probing lavapipe at every start
                    // would only add LLVM work to each CLI command and worker
                    if (gl.capabilities().software()) {
                        vkReport = "render CNN:        gl (software GL renderer " + gl.capabilities().renderer()
                                + ": no buffer shared with a Vulkan device)";
                    } else {
                        vk = VkRenderCnn.openIfShared(gl, 32);
                    }
                }
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
     * A service whose renders go through the Vulkan render CNN at {@code precision} whatever
     * {@code -Dportraitgen.gpu.cnn} asks: FP32 runs on lavapipe, so that CI covers the Vulkan render path (the
     * features cross through the host where GL cannot import Vulkan memory, as with llvmpipe). For tests and benches.
     *
     * @throws GlException (a {@link VkException} for the Vulkan side) when the Vulkan CNN cannot open
     */
    public static GlGaussianFieldService withVulkanCnn(GlContext gl, VkCnn.Precision precision) {
        GlGaussianFieldService service = new GlGaussianFieldService(gl);
        try {
            VkRenderCnn vk = VkRenderCnn.open(gl, precision);
            VkRenderCnn before = service.vulkanCnn;
            service.vulkanCnn = vk;
            service.vulkanReport = "render CNN:        vulkan-"
                    + (precision == VkCnn.Precision.FP32 ? "fp32" : "fp16") + " on " + vk.capabilities().deviceName();
            if (before != null) {
                before.close();
            }
            return service;
        } catch (RuntimeException | LinkageError e) {
            service.close();
            throw e;
        }
    }

    /**
     * Every program of the default field (32 channels) compiles and runs once now, at start-up, on one Gaussian at
     * 16x16: a driver that cannot compile or run a kernel shows here, while the CPU service can still take over,
     * instead of on a user's first render. The programs stay cached in the context's ShaderLibrary.
     */
    private void smokeTest(GlRasterizer r, GlCnn cnn) {
        // one Gaussian at the centroid of one triangle 3 units in front of the camera, posed on the GPU
        TriangleBinding one = new TriangleBinding(3, new int[] {0, 1, 2}, new int[] {0},
                new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
        Gaussians local = new Gaussians(1, 32);
        local.quats[0] = 1;
        Camera cam = new Camera(16, 16, 20, 20, 8, 8, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
        try (GlBinding binding = new GlBinding(gl.shaders(), one); GlBuffer params = new GlBuffer("smoke test");
                GlBuffer grads = new GlBuffer("smoke test gradients")) {
            params.upload(new GaussianLayout(1, 32).flatten(local));
            grads.zero(4L * (11 + 32));
            binding.pose(new float[] {-1, -1, 3, 1, -1, 3, -1, 1, 3}, "the smoke test", params, 32, r);
            r.forward(cam);
            cnn.uploadParameters(new NeuralRenderer(32));
            cnn.forward(r.featureImage(), 16, 16);
            cnn.backward(new float[3 * 16 * 16]);
            r.imageGradients().zero(4L * 34 * 16 * 16);
            r.backwardOnGpu();
            binding.backward(r, 32, grads);
            try (GlLosses losses = new GlLosses(gl.shaders()); GlAdam adam = new GlAdam(gl.shaders());
                    GlBuffer m = new GlBuffer("smoke test m"); GlBuffer v = new GlBuffer("smoke test v")) {
                losses.begin();
                losses.regularisers(params, 1, 1, 1, 1, 1, grads);
                adam.clearFlags();
                adam.flagNonFinite(grads, 0, 11 + 32, 0);
                m.zero(4L * (11 + 32));
                v.zero(4L * (11 + 32));
                adam.update(params, grads, m, v, 0, 11 + 32, 1e-3, 1e-15, 0.1, 0.001);
            }
            String problem = binding.firstProblem();
            if (problem != null) {
                throw new GlException("the start-up smoke test's triangle was reported degenerate: " + problem);
            }
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

    /**
     * Registers a field built in this process. Its binding and Gaussians go to the GPU on its first render and stay
     * there: a caller that changes the field's Gaussians afterwards adopts it again (the renderer's weights are
     * read per render).
     */
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
        String where = "frame " + state.frame();
        GlBinding.requireVertices(f.binding, state.vertices(), where);
        Camera cam = GaussianField.cameraOf(state);
        if (gpuBroken == null) {
            Object[] out = null;
            try {
                out = renderOnGpu(handle, f, state.vertices(), where, cam);
            } catch (GlException e) {
                // out of memory or too large: this request only; a lost or closed context: from now on
                boolean permanent = gl.isClosed() || e.getMessage().contains("context was lost");
                if (permanent) {
                    gpuBroken = e.getMessage();
                }
                LOG.log(Level.WARNING, "GPU render failed (" + e.getMessage() + "); rendering "
                        + (permanent ? "on the CPU from now on" : "this request on the CPU"));
            }
            if (out != null) {
                if (out[1] != null) {
                    throw new IllegalArgumentException((String) out[1]); // a degenerate triangle, as the CPU says
                }
                return new FloatImage(cam.width(), cam.height(), 3, (float[]) out[0]);
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

    /** On the GL thread: the field's binding and local parameters on the GPU, uploaded on its first render. */
    private GpuField gpuField(FieldHandle handle, GaussianField f) {
        GpuField g = gpuFields.get(handle.id());
        if (g == null) {
            g = GpuField.of(gl.shaders(), f);
            gpuFields.put(handle.id(), g);
        }
        return g;
    }

    /**
     * The RGB and the binding's problem (a degenerate triangle's message, or null). With the Vulkan CNN, one request
     * to the GL thread poses, rasterizes, hands the features to the CNN and submits it (GL and Vulkan ordered on the
     * GPU where they share a semaphore); the caller's thread then waits for the RGB. Meanwhile the GL thread serves
     * the next request, so renders called from several threads overlap (up to {@link VkRenderCnn#MAX_IN_FLIGHT}).
     *
     * <p>Nothing is read back before the CNN's submit: the rasterizer queues the frame with the pair buffers' room
     * from earlier frames ({@link GlRasterizer#queueForward}), and the posing status and the pair count reach the
     * host through mapped memory ({@link #renderChecks}) read after the submit, in the same GL request, so the check
     * covers this render's forward alone whatever other threads render. A frame that needed more tile pairs than
     * there was room for (its tiles are empty) is rasterized again with the grown buffers and handed to the CNN again
     * before the request ends: no render returns missing tiles.
     */
    private Object[] renderOnGpu(FieldHandle handle, GaussianField f, float[] vertices, String where, Camera cam) {
        VkRenderCnn vk = vulkanCnn;
        if (vk != null) {
            Throwable[] cnnFailure = new Throwable[1];
            try (VkRenderCnn.Job job = vk.begin(f.renderer, cam.height(), cam.width())) {
                String problem = gl.call(() -> {
                    GpuField g = gpuField(handle, f);
                    queueFrame(g, f, vertices, where, cam);
                    try {
                        job.enqueue(rasterizer.featureImage());
                    } catch (GlException | LinkageError e) {
                        cnnFailure[0] = e; // the CNN's, not the field's: the GL CNN takes over below
                        return null;
                    }
                    // after the submit: GL's work is done (glFinish) or under way, the CNN is not waited for
                    int[] checks = renderChecks.read();
                    if (!rasterizer.pairsFit(checks[PAIRS_NEEDED])) {
                        renderAgain(cam);
                        try {
                            job.enqueueAgain(rasterizer.featureImage());
                        } catch (GlException | LinkageError e) {
                            cnnFailure[0] = e;
                            return null;
                        }
                    }
                    return g.binding().problemOf(checks[STATUS]);
                });
                if (cnnFailure[0] == null) {
                    try {
                        float[] rgb = job.rgb();
                        return problem != null ? new Object[] {null, problem} : new Object[] {rgb, null};
                    } catch (GlException | LinkageError e) {
                        cnnFailure[0] = e;
                    }
                }
            } catch (GlException | LinkageError e) {
                if (cnnFailure[0] == null && !(e instanceof VkException)) {
                    throw e; // the GL half failed (out of memory, a lost context): render() decides
                }
                if (cnnFailure[0] == null) {
                    cnnFailure[0] = e;
                }
            }
            // the GL CNN takes over for good; the posing and rasterizing are redone below, once
            if (vulkanCnn == vk) {
                vulkanCnn = null;
                vulkanReport = "render CNN:        gl (the Vulkan CNN failed: " + cnnFailure[0].getMessage() + ")";
                LOG.log(Level.WARNING, "Vulkan render CNN failed (" + cnnFailure[0].getMessage()
                        + "); the GL CNN renders from now on");
                closeQuietly(vk);
            }
        }
        return gl.call(() -> {
            int channels = f.local.channels;
            GlCnn cnn = cnns.computeIfAbsent(channels, c -> new GlCnn(gl.shaders(), c));
            GpuField g = gpuField(handle, f);
            queueFrame(g, f, vertices, where, cam);
            cnn.uploadParameters(f.renderer);
            cnn.forward(rasterizer.featureImage(), cam.height(), cam.width());
            float[] rgb = cnn.rgb().readFloats(3 * cam.width() * cam.height());
            int[] checks = renderChecks.read(); // the RGB's read-back waited for everything already
            if (!rasterizer.pairsFit(checks[PAIRS_NEEDED])) {
                renderAgain(cam);
                cnn.forward(rasterizer.featureImage(), cam.height(), cam.width());
                rgb = cnn.rgb().readFloats(3 * cam.width() * cam.height());
            }
            return new Object[] {rgb, g.binding().problemOf(checks[STATUS])};
        });
    }

    /**
     * On the GL thread: poses the field and queues its forward without waiting for anything, then the copies of the
     * posing status and the pair count into {@link #renderChecks} and their fence.
     */
    private void queueFrame(GpuField g, GaussianField f, float[] vertices, String where, Camera cam) {
        g.binding().resetStatus();
        g.binding().pose(vertices, where, g.local(), f.local.channels, rasterizer);
        rasterizer.queueForward(cam);
        g.binding().queueStatusCopy(renderChecks, STATUS);
        rasterizer.queuePairsCheck(renderChecks, PAIRS_NEEDED);
        renderChecks.fence();
    }

    /**
     * On the GL thread, in the request that queued the frame: its tile pairs did not fit (the buffers have grown
     * since); the posed Gaussians are still the rasterizer's input, so it is rasterized again, waiting for its count.
     */
    private void renderAgain(Camera cam) {
        rasterizer.forward(cam);
        rendersAgain.incrementAndGet();
        LOG.log(Level.DEBUG, "a frame needed more tile pairs than the rasterizer had room for ("
                + rasterizer.pairCapacity() + " now): rasterized again");
    }

    /**
     * Renders whose frame needed more tile pairs than the rasterizer's buffers held from earlier frames, so that it
     * was rasterized again (with grown buffers) before its RGB was made.
     */
    public long rendersRasterizedAgain() {
        return rendersAgain.get();
    }

    private static void closeQuietly(VkRenderCnn vk) {
        try {
            vk.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the failed Vulkan render CNN: " + e.getMessage());
        }
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
        if (!gl.isClosed()) {
            try {
                gl.call(() -> {
                    GpuField g = gpuFields.remove(field.id());
                    if (g != null) {
                        g.close();
                    }
                    return null;
                });
            } catch (GlException e) { // a lost context: its buffers are gone with it
                LOG.log(Level.WARNING, "freeing the GPU copy of field " + field.id() + " failed: " + e.getMessage());
            }
        }
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
            renderChecks.close();
            cnns.values().forEach(GlCnn::close);
            cnns.clear();
            gpuFields.values().forEach(GpuField::close);
            gpuFields.clear();
            return null;
        });
        workers.close();
    }
}
