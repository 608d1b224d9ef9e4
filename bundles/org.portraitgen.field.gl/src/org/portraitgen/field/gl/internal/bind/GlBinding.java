package org.portraitgen.field.gl.internal.bind;

import static org.lwjgl.opengl.GL43C.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GpuChecks;
import org.portraitgen.field.gl.internal.GpuFill;
import org.portraitgen.field.gl.internal.GlHostInts;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.raster.GaussianBuffers;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.internal.bind.TriangleBinding;

/**
 * A field's triangle binding on the GPU (shaders/bind/): per posed mesh only the rig's vertices go up; the
 * triangle frames (as {@code TriangleFrames}), the world Gaussians (as {@code TriangleBinding.toWorld}, written
 * straight into a rasterizer's input) and the backward to the local parameters (as
 * {@code TriangleBinding.backward}) are kernels, in float. The binding's topology goes up once. A degenerate
 * triangle is recorded on the GPU; {@link #firstProblem()} names it, as {@code TriangleFrames.of} does, after the
 * frames of a step or render are queued. Methods run on the GL thread.
 */
public final class GlBinding implements AutoCloseable {
    /** Floats per triangle frame: axes a, b, n, quaternion (w, x, y, z), scale, two unused. */
    public static final int FRAME_STRIDE = 16;
    private static final int WORKGROUP_SIZE = 256;
    private static final int NO_PROBLEM = Integer.MAX_VALUE;

    private final ShaderLibrary shaders;
    private final TriangleBinding binding;
    private final int triangleCount;
    private final GlBuffer triangles = new GlBuffer("binding triangles");
    private final GlBuffer triangleOf = new GlBuffer("binding triangle of each Gaussian");
    private final GlBuffer barycentrics = new GlBuffer("binding barycentrics");
    private final GlBuffer vertices = new GlBuffer("rig vertices");
    private final GlBuffer frames = new GlBuffer("triangle frames");
    private final GlBuffer status = new GlBuffer("binding status (first degenerate triangle)");
    /** What each frame slot posed since {@link #resetStatus()}, for the error message. */
    private final List<String> posed = new ArrayList<>();

    public GlBinding(ShaderLibrary shaders, TriangleBinding binding) {
        this.shaders = shaders;
        this.binding = binding;
        this.triangleCount = binding.triangles.length / 3;
        triangles.upload(binding.triangles);
        triangleOf.upload(binding.triangleOf);
        float[] b = new float[binding.barycentrics.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) binding.barycentrics[i];
        }
        barycentrics.upload(b);
        frames.ensure(4L * FRAME_STRIDE * triangleCount);
        GlBuffer.checkError("uploading the triangle binding (" + triangleCount + " triangles, " + binding.count()
                + " Gaussians)");
        framesProgram();
        forwardProgram();
        resetStatus();
    }

    public TriangleBinding binding() {
        return binding;
    }

    private int framesProgram() {
        return shaders.program("bind/triangle_frames.comp",
                Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE, "FRAME_STRIDE", FRAME_STRIDE + "u"));
    }

    private int forwardProgram() {
        return shaders.program("bind/bind_forward.comp",
                Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE, "FRAME_STRIDE", FRAME_STRIDE + "u"));
    }

    private int backwardProgram(int channels) {
        return shaders.program("bind/bind_backward.comp", Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE, "FRAME_STRIDE",
                FRAME_STRIDE + "u", "CHANNELS", channels + "u", "GEOMETRY_STRIDE", GlRasterizer.GEOMETRY_STRIDE + "u",
                "SCREEN_STRIDE", GlRasterizer.screenStride(channels) + "u", "FEATURE_OFFSET",
                GlRasterizer.SCREEN_FEATURE_OFFSET + "u"));
    }

    /**
     * The host-side check of {@code TriangleFrames.of}: call it before {@code GlContext.call}, so the error reaches
     * the caller as it is rather than wrapped as a GL failure.
     *
     * @throws IllegalArgumentException when the vertex array does not fit the binding
     */
    public static void requireVertices(TriangleBinding binding, float[] posedVertices, String where) {
        if (posedVertices.length != 3 * binding.vertexCount) {
            throw new IllegalArgumentException(where + ": rig state has " + posedVertices.length / 3
                    + " vertices, the field was bound to " + binding.vertexCount);
        }
    }

    /** Forgets recorded problems: call before the frames of a step or render. */
    public void resetStatus() {
        status.upload(new int[] {NO_PROBLEM});
        posed.clear();
    }

    /**
     * Sends one posed mesh's vertices up and computes its triangle frames (they stay until the next call).
     *
     * @param where names the frame in error messages ("frame 12")
     * @throws IllegalArgumentException when the vertex array does not fit the binding (as TriangleFrames.of)
     */
    public void frames(float[] posedVertices, String where) {
        requireVertices(binding, posedVertices, where);
        if ((long) (posed.size() + 1) * triangleCount > NO_PROBLEM) {
            throw new IllegalStateException("more frames posed than the status can tell apart; reset it per step");
        }
        int slot = posed.size();
        posed.add(where);
        vertices.upload(posedVertices);
        int program = framesProgram();
        vertices.bind(0);
        triangles.bind(1);
        frames.bind(2);
        status.bind(3);
        Dispatch.uniform(program, 0, triangleCount);
        Dispatch.uniform(program, 1, slot);
        Dispatch.run(program, Dispatch.groups(triangleCount, WORKGROUP_SIZE), 1);
    }

    /**
     * World Gaussians of the last {@link #frames} from the local parameters ({@link GaussianLayout}), written into
     * {@code rasterizer}'s input: means, log-scales and quaternions by the kernel, opacities and features copied.
     */
    public void toWorld(GlBuffer local, int channels, GlRasterizer rasterizer) {
        int n = binding.count();
        GaussianLayout layout = new GaussianLayout(n, channels);
        GaussianBuffers world = rasterizer.input(n, channels);
        int program = forwardProgram();
        frames.bind(0);
        vertices.bind(1);
        triangles.bind(2);
        triangleOf.bind(3);
        barycentrics.bind(4);
        local.bind(5);
        world.means.bind(6);
        world.logScales.bind(7);
        world.quats.bind(8);
        Dispatch.uniform(program, 0, n);
        Dispatch.run(program, Dispatch.groups(n, WORKGROUP_SIZE), 1);
        // compute copies: the driver's glCopyBufferSubData runs far below memory bandwidth (GpuFill)
        GpuFill.copy(shaders, local, 4L * layout.offset(3), world.opacityLogits, 0, 4L * n);
        GpuFill.copy(shaders, local, 4L * layout.offset(4), world.features, 0, 4L * n * channels);
        GlBuffer.checkError("posing " + n + " Gaussians on the GPU");
    }

    /** Both: frames of {@code posedVertices}, then the world Gaussians into {@code rasterizer}'s input. */
    public void pose(float[] posedVertices, String where, GlBuffer local, int channels, GlRasterizer rasterizer) {
        frames(posedVertices, where);
        toWorld(local, channels, rasterizer);
    }

    /**
     * Adds dL/dlocal ({@link GaussianLayout}) into {@code grads} from the gradients of {@code rasterizer}'s last
     * backward, through the last {@link #frames}.
     */
    public void backward(GlRasterizer rasterizer, int channels, GlBuffer grads) {
        backward(rasterizer.geometryGradients(), rasterizer.screenGradients(), channels, grads);
    }

    /**
     * The same from dL/dworld in the rasterizer backward's layout: {@code geometry} holds
     * {@link GlRasterizer#GEOMETRY_STRIDE} floats per Gaussian, {@code screen}
     * {@link GlRasterizer#screenStride(int)} with dL/dfeatures at {@link GlRasterizer#SCREEN_FEATURE_OFFSET}.
     */
    public void backward(GlBuffer geometry, GlBuffer screen, int channels, GlBuffer grads) {
        int n = binding.count();
        int program = backwardProgram(channels);
        frames.bind(0);
        triangleOf.bind(1);
        geometry.bind(2);
        screen.bind(3);
        grads.bind(4);
        Dispatch.uniform(program, 0, n);
        Dispatch.run(program, Dispatch.groups(n, WORKGROUP_SIZE), 1);
        GlBuffer.checkError("binding backward");
    }

    /**
     * Reads the status (one int) and returns the error message for the first degenerate or non-finite triangle of
     * the frames posed since {@link #resetStatus()}, worded as {@code TriangleFrames.of}'s; null when all are fine.
     */
    public String firstProblem() {
        return problemOf(status.readInts(0, 1)[0]);
    }

    /**
     * {@link #firstProblem()} without a read-back command: queues a copy of the status into int {@code word} of
     * {@code into}; {@link #problemOf} turns that int, once fenced and read, into the message.
     */
    public void queueStatusCopy(GlHostInts into, int word) {
        into.copyFrom(status, 0, word);
    }

    /**
     * Sets {@code bit} of {@code flags}[0] when a frame posed since {@link #resetStatus()} had a problem, on the GPU
     * ({@link GpuChecks}).
     */
    public void flagProblem(GlBuffer flags, int bit) {
        GpuChecks.flagUnlessEqual(shaders, status, 0, NO_PROBLEM, flags, bit);
    }

    /** The message {@link #firstProblem()} gives for a status read as {@code key} (null: all triangles fine). */
    public String problemOf(int key) {
        if (key == NO_PROBLEM) {
            return null;
        }
        int slot = key / triangleCount;
        int t = key % triangleCount;
        String where = slot < posed.size() ? posed.get(slot) : "frame slot " + slot;
        return where + ": triangle " + t + " (vertices " + binding.triangles[3 * t] + ", "
                + binding.triangles[3 * t + 1] + ", " + binding.triangles[3 * t + 2] + ") has zero area or is not"
                + " finite; Gaussians cannot be bound to it";
    }

    /** The frames of the last {@link #frames} as floats, FRAME_STRIDE each (for tests). */
    public float[] readFrames() {
        return frames.readFloats(FRAME_STRIDE * triangleCount);
    }

    public long bufferBytes() {
        long sum = 0;
        for (GlBuffer b : buffers()) {
            sum += b.capacity();
        }
        return sum;
    }

    private GlBuffer[] buffers() {
        return new GlBuffer[] {triangles, triangleOf, barycentrics, vertices, frames, status};
    }

    @Override
    public void close() {
        for (GlBuffer b : buffers()) {
            b.close();
        }
    }
}
