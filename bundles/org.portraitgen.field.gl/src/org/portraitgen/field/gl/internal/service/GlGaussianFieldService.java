package org.portraitgen.field.gl.internal.service;

import java.io.IOException;
import java.nio.file.Path;

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
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * {@link GaussianFieldService} with the rasterizer on the GPU: the field is posed by the rig on the CPU (as the
 * reference does), rasterized by {@link GlRasterizer} on the shared context's GL thread, and the neural renderer
 * runs on the CPU until its GL kernels exist. Fields and checkpoints are the CPU service's, so either backend
 * reads the other's files.
 */
public final class GlGaussianFieldService implements GaussianFieldService, AutoCloseable {
    private final GlContext gl;
    private final GlRasterizer rasterizer;
    private final Workers workers = new Workers(Runtime.getRuntime().availableProcessors());
    private final FieldHandles fields = new FieldHandles(workers);

    public GlGaussianFieldService(GlContext gl) {
        this.gl = gl;
        this.rasterizer = gl.call(() -> new GlRasterizer(gl));
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
        float[] features = rasterize(world, cam);
        CnnEngine cnn = fields.renderingEngine(handle);
        synchronized (cnn) { // one request at a time per session, as in the CPU service
            try (CnnEngine.Pass pass = cnn.forward(f.renderer, features, cam.height(), cam.width())) {
                return new FloatImage(cam.width(), cam.height(), 3, pass.rgb());
            }
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
    }

    @Override
    public void close() {
        fields.close();
        gl.call(() -> {
            rasterizer.close();
            return null;
        });
        workers.close();
    }
}
