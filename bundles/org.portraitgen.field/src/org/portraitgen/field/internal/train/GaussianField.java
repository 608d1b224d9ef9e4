package org.portraitgen.field.internal.train;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.StageClock;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;

/**
 * A lifted field: Gaussians bound to a rig's triangles (parameters in triangle frames) plus the neural renderer that
 * turns their composited features into RGB. Rig states carry vertices in camera space, so rendering uses the
 * state's intrinsics with an identity world-to-camera transform.
 */
public final class GaussianField {
    public final TriangleBinding binding;
    /** Local (triangle-frame) parameters: means hold offsets in triangle units. */
    public final Gaussians local;
    public final NeuralRenderer renderer;

    public GaussianField(TriangleBinding binding, Gaussians local, NeuralRenderer renderer) {
        if (binding.count() != local.count) {
            throw new IllegalArgumentException("binding has " + binding.count() + " Gaussians, parameters "
                    + local.count);
        }
        if (renderer.featureChannels != local.channels) {
            throw new IllegalArgumentException("renderer expects " + renderer.featureChannels + " feature channels, "
                    + "Gaussians have " + local.channels);
        }
        this.binding = binding;
        this.local = local;
        this.renderer = renderer;
    }

    /** A fresh field: zero offsets and features, identity rotations, scales from the texel spacing on the mesh. */
    public static GaussianField initialise(TriangleBinding binding, float[] restVertices, int channels, long seed) {
        TriangleFrames f = TriangleFrames.of(restVertices, binding.triangles, binding.vertexCount, "rest pose");
        Gaussians g = new Gaussians(binding.count(), channels);
        int[] perTriangle = new int[f.count];
        for (int t : binding.triangleOf) {
            perTriangle[t]++;
        }
        for (int i = 0; i < g.count; i++) {
            int t = binding.triangleOf[i];
            // texel spacing on the surface, in units of the triangle's frame scale
            double spacing = Math.sqrt(f.areas[t] / perTriangle[t]) / f.scales[t];
            for (int k = 0; k < 3; k++) {
                g.logScales[3 * i + k] = Math.log(0.7 * spacing);
            }
            g.quats[4 * i] = 1;
            g.opacityLogits[i] = 0; // opacity 0.5: covers the surface from the first step
        }
        return new GaussianField(binding, g, NeuralRenderer.initialised(channels, seed));
    }

    public static Camera cameraOf(RigState state) {
        Camera c = state.camera();
        return new Camera(c.width(), c.height(), c.fx(), c.fy(), c.cx(), c.cy(),
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
    }

    /** What one forward pass produced, kept for the backward pass; close it to free the CNN pass's buffers. */
    public record Frame(RigState state, Camera camera, TriangleFrames frames, Gaussians world, RasterImage raster,
            CnnEngine.Pass trace) implements AutoCloseable {
        public float[] rgb() {
            return trace.rgb();
        }

        @Override
        public void close() {
            trace.close();
        }
    }

    public Frame render(RigState state, Rasterizer rasterizer, Workers workers) {
        return render(state, rasterizer, new JavaCnn(workers));
    }

    public Frame render(RigState state, Rasterizer rasterizer, CnnEngine engine) {
        return render(state, rasterizer, engine, StageClock.NONE);
    }

    /** {@link #render} reporting its stages (bind, raster forward, CNN forward) to {@code clock}. */
    public Frame render(RigState state, Rasterizer rasterizer, CnnEngine engine, StageClock clock) {
        TriangleFrames frames = TriangleFrames.of(state.vertices(), binding.triangles, binding.vertexCount,
                "frame " + state.frame());
        Gaussians world = binding.toWorld(local, state.vertices(), frames);
        Camera cam = cameraOf(state);
        clock.lap("bind");
        RasterImage raster = rasterizer.forward(world, cam);
        clock.lap("raster forward");
        float[] feats = new float[raster.features.length];
        for (int i = 0; i < feats.length; i++) {
            feats[i] = (float) raster.features[i];
        }
        CnnEngine.Pass trace = engine.forward(renderer, feats, cam.height(), cam.width());
        clock.lap("CNN forward");
        return new Frame(state, cam, frames, world, raster, trace);
    }
}
