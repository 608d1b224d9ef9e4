package org.portraitgen.field.gl.internal.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.gl.GlContext;
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

/**
 * {@link GaussianFieldService} on the GPU: the field is posed by the rig on the CPU (as the reference does), then
 * rasterized by {@link GlRasterizer} and turned into RGB by {@link GlCnn} on the shared context's GL thread; only
 * the RGB comes back. It also trains ({@link TrainingBackend}: {@code field.lift} uses {@link GlTrainer} through it).
 * Fields and checkpoints are the CPU service's, so either backend reads the other's files.
 */
public final class GlGaussianFieldService implements GaussianFieldService, TrainingBackend, AutoCloseable {
    private final GlContext gl;
    private final GlRasterizer rasterizer;
    private final Workers workers = new Workers(Runtime.getRuntime().availableProcessors());
    private final FieldHandles fields = new FieldHandles(workers);

    /** One GPU CNN per feature-channel count in use; weights are uploaded per render (a few hundred KB). */
    private final Map<Integer, GlCnn> cnns = new HashMap<>();

    public GlGaussianFieldService(GlContext gl) {
        this.gl = gl;
        this.rasterizer = gl.call(() -> {
            GlRasterizer r = new GlRasterizer(gl);
            // the programs of the default field (32 channels) compile now, at start-up, not on the first render
            cnns.put(32, new GlCnn(gl.shaders(), 32));
            return r;
        });
    }

    @Override
    public FieldTrainer trainer(GaussianField field, LossWeights weights) {
        return new GlTrainer(gl, field, weights);
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
        GaussianParams params = GaussianParams.of(world.count, world.channels, world.means, world.logScales,
                world.quats, world.opacityLogits, world.features);
        float[] rgb = gl.call(() -> {
            GlCnn cnn = cnns.computeIfAbsent(world.channels, c -> new GlCnn(gl.shaders(), c));
            rasterizer.upload(params);
            rasterizer.forward(cam);
            cnn.uploadParameters(f.renderer);
            cnn.forward(rasterizer.featureImage(), cam.height(), cam.width());
            return cnn.rgb().readFloats(3 * cam.width() * cam.height());
        });
        return new FloatImage(cam.width(), cam.height(), 3, rgb);
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
        gl.call(() -> {
            rasterizer.close();
            cnns.values().forEach(GlCnn::close);
            cnns.clear();
            return null;
        });
        workers.close();
    }
}
