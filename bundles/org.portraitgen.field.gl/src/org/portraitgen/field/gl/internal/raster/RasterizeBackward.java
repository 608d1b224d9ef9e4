package org.portraitgen.field.gl.internal.raster;

import java.util.Map;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GpuFill;
import org.portraitgen.field.gl.internal.ShaderLibrary;

/**
 * The backward pass: shaders/rasterize_to_pixels_bwd.comp (per pixel, atomics into the screen-space gradients),
 * then shaders/project_gaussians_bwd.comp (per Gaussian, to means, log-scales, quaternions, opacity logits). The
 * image gradients come in one [C + 2, H, W] buffer, or dL/dfeatures in the caller's buffer (the neural renderer's
 * input gradient, without a copy) and dL/d(alpha, depth) in {@link #auxGradients}.
 */
final class RasterizeBackward implements AutoCloseable {
    /** Floats before the features in a Gaussian's screen-space gradient record. */
    static final int HEAD = 7;
    /** dL/d(means 3, logScales 3, quats 4, opacity logit 1) per Gaussian. */
    static final int GEOMETRY = 11;

    /**
     * Whether the pixel kernel sums a Gaussian's gradients across the subgroup before its atomics, where the device
     * can ({@code -Dportraitgen.gpu.raster.lockstep=false} keeps one atomic per pixel, for comparisons).
     */
    private static final boolean LOCKSTEP = !"false".equals(System.getProperty("portraitgen.gpu.raster.lockstep"));

    private final ShaderLibrary shaders;
    private final GlBuffer vImages = new GlBuffer("image gradients");
    private final GlBuffer vAux = new GlBuffer("alpha and depth gradients");
    private final GlBuffer v2d = new GlBuffer("screen-space gradients");
    private final GlBuffer vGeometry = new GlBuffer("geometry gradients");

    RasterizeBackward(ShaderLibrary shaders) {
        this.shaders = shaders;
    }

    /** Uploads dL/d(features, alpha, depth); null images are zero. */
    void uploadImageGradients(int channels, Camera cam, float[] vFeatures, float[] vAlpha, float[] vDepth) {
        int pixels = cam.width() * cam.height();
        float[] images = new float[(channels + 2) * pixels];
        if (vFeatures != null) {
            System.arraycopy(vFeatures, 0, images, 0, channels * pixels);
        }
        if (vAlpha != null) {
            System.arraycopy(vAlpha, 0, images, channels * pixels, pixels);
        }
        if (vDepth != null) {
            System.arraycopy(vDepth, 0, images, (channels + 1) * pixels, pixels);
        }
        vImages.upload(images);
    }

    /** dL/d(features, alpha, depth) [C + 2, H, W] on the GPU, sized for this camera, for kernels to fill in. */
    GlBuffer imageGradients(int channels, Camera cam) {
        vImages.ensure(4L * (channels + 2) * cam.width() * cam.height());
        GlBuffer.checkError("allocating image gradients");
        return vImages;
    }

    /** dL/d(alpha, depth) [2, H, W] on the GPU, sized for this camera, cleared, for kernels to add into. */
    GlBuffer clearedAuxGradients(Camera cam) {
        GpuFill.zero(shaders, vAux, 8L * cam.width() * cam.height());
        GlBuffer.checkError("allocating alpha and depth gradients");
        return vAux;
    }

    /** The buffer of the last {@link #clearedAuxGradients}. */
    GlBuffer auxGradients() {
        return vAux;
    }

    /** Both backward kernels from {@link #imageGradients}; the gradients stay on the GPU until {@link #read}. */
    void dispatch(GlRasterizer r, int count, int channels, Camera cam, int tilesX, int tilesY) {
        dispatch(r, count, channels, cam, tilesX, tilesY, vImages, vImages, (long) channels * cam.width()
                * cam.height());
    }

    /**
     * Both backward kernels from dL/dfeatures [C, H, W] in {@code vFeatures} and dL/d(alpha, depth) [2, H, W] in
     * {@code vAlphaDepth} from float {@code auxOffset} on.
     */
    void dispatch(GlRasterizer r, int count, int channels, Camera cam, int tilesX, int tilesY, GlBuffer vFeatures,
            GlBuffer vAlphaDepth, long auxOffset) {
        int stride = HEAD + channels;
        GpuFill.zero(shaders, v2d, 4L * stride * count);
        vGeometry.ensure(4L * GEOMETRY * count);
        GlBuffer.checkError("allocating backward buffers");
        int raster = shaders.program("rasterize_to_pixels_bwd.comp", LOCKSTEP
                ? Map.of("TILE_SIZE", GlRasterizer.TILE, "CHANNELS", channels)
                : Map.of("TILE_SIZE", GlRasterizer.TILE, "CHANNELS", channels, "NO_SUBGROUP_REDUCE", 1));
        r.projected.bind(0);
        r.gaussians.features.bind(1);
        r.isectIds.bind(2);
        r.tileRanges.bind(3);
        r.outAux.bind(4);
        r.outLast.bind(5);
        vFeatures.bind(6);
        v2d.bind(7);
        vAlphaDepth.bind(8);
        Dispatch.uniform(raster, 0, cam.width());
        Dispatch.uniform(raster, 1, cam.height());
        Dispatch.uniform(raster, 2, tilesX);
        Dispatch.uniform(raster, 3, Math.toIntExact(auxOffset));
        Dispatch.run(raster, tilesX, tilesY);
        int project = shaders.program("project_gaussians_bwd.comp",
                Map.of("WORKGROUP_SIZE", ProjectGaussians.WORKGROUP_SIZE, "CHANNELS", channels));
        r.camera.bind(0);
        r.gaussians.means.bind(1);
        r.gaussians.logScales.bind(2);
        r.gaussians.quats.bind(3);
        r.projected.bind(4);
        v2d.bind(5);
        vGeometry.bind(6);
        Dispatch.uniform(project, 0, count);
        Dispatch.run(project, Dispatch.groups(count, ProjectGaussians.WORKGROUP_SIZE), 1);
        GlBuffer.checkError("backward pass");
    }

    GlBuffer geometryGradients() {
        return vGeometry;
    }

    GlBuffer screenGradients() {
        return v2d;
    }

    GaussianParams read(int count, int channels) {
        int stride = HEAD + channels;
        return unpack(count, channels, vGeometry.readFloats(GEOMETRY * count), v2d.readFloats(stride * count));
    }

    private static GaussianParams unpack(int count, int channels, float[] geometry, float[] screen) {
        float[] means = new float[3 * count];
        float[] logScales = new float[3 * count];
        float[] quats = new float[4 * count];
        float[] opacity = new float[count];
        float[] features = new float[count * channels];
        int stride = HEAD + channels;
        for (int i = 0; i < count; i++) {
            System.arraycopy(geometry, GEOMETRY * i, means, 3 * i, 3);
            System.arraycopy(geometry, GEOMETRY * i + 3, logScales, 3 * i, 3);
            System.arraycopy(geometry, GEOMETRY * i + 6, quats, 4 * i, 4);
            opacity[i] = geometry[GEOMETRY * i + 10];
            System.arraycopy(screen, stride * i + HEAD, features, channels * i, channels);
        }
        return new GaussianParams(count, channels, means, logScales, quats, opacity, features);
    }

    long bufferBytes() {
        return vImages.capacity() + vAux.capacity() + v2d.capacity() + vGeometry.capacity();
    }

    @Override
    public void close() {
        vImages.close();
        vAux.close();
        v2d.close();
        vGeometry.close();
    }
}
