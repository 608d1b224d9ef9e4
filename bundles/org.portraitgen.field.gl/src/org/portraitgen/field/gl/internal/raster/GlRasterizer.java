package org.portraitgen.field.gl.internal.raster;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.sort.PrefixSum;
import org.portraitgen.field.gl.internal.sort.RadixSort;

/**
 * The tile rasterizer of 3D Gaussian Splatting on the GPU, stage by stage as the CPU reference
 * ({@code org.portraitgen.field.internal.raster.Rasterizer}): projectGaussians, intersectTiles, rasterizeToPixels,
 * and the backward pass. Owns its GPU buffers, which grow and are reused frame after frame. Every method must run on
 * the context's GL thread (inside {@link GlContext#call}).
 */
public final class GlRasterizer implements AutoCloseable {
    public static final int TILE = 16;
    /** Floats per Gaussian in {@link #geometryGradients()}: dL/d(means 3, logScales 3, quats 4, opacity logit 1). */
    public static final int GEOMETRY_STRIDE = RasterizeBackward.GEOMETRY;
    /** Where dL/dfeatures starts in a Gaussian's record of {@link #screenGradients()}. */
    public static final int SCREEN_FEATURE_OFFSET = RasterizeBackward.HEAD;

    private final GlContext gl;
    private final ShaderLibrary shaders;
    private final PrefixSum scan;
    private final RadixSort sort;
    final GaussianBuffers gaussians = new GaussianBuffers();
    final GlBuffer camera = new GlBuffer("camera");
    final GlBuffer projected = new GlBuffer("projected Gaussians");
    final GlBuffer depthKeys = new GlBuffer("depth keys");
    final GlBuffer depthOrder = new GlBuffer("depth order");
    final GlBuffer depthKeyBits = new GlBuffer("depth key bits (OR, AND)");
    final GlBuffer offsets = new GlBuffer("intersection offsets");
    final GlBuffer tileKeys = new GlBuffer("tile keys");
    final GlBuffer isectIds = new GlBuffer("intersection Gaussian ids");
    final GlBuffer tileRanges = new GlBuffer("tile ranges");
    final GlBuffer outFeatures = new GlBuffer("feature image");
    final GlBuffer outAux = new GlBuffer("alpha, depth, transmittance");
    final GlBuffer outLast = new GlBuffer("last contributor");
    private final RasterizeBackward backward;

    private int count;
    private int channels;
    private Camera cam;
    private int tilesX;
    private int tilesY;
    private int pairs;

    public GlRasterizer(GlContext gl) {
        gl.checkThread();
        this.gl = gl;
        this.shaders = gl.shaders();
        this.scan = new PrefixSum(shaders);
        this.sort = new RadixSort(shaders, scan);
        this.backward = new RasterizeBackward(shaders);
        tileKeys.ensure(4);
        isectIds.ensure(4);
    }

    /** Uploads the Gaussians' parameters (kept on the GPU until the next upload). */
    public void upload(GaussianParams p) {
        gl.checkThread();
        count = p.count();
        channels = p.channels();
        gaussians.upload(p);
    }

    /**
     * The input buffers, sized for {@code count} Gaussians of {@code channels} features, for kernels to write posed
     * Gaussians into instead of an {@link #upload}; {@link #forward} renders what they hold.
     */
    public GaussianBuffers input(int count, int channels) {
        gl.checkThread();
        this.count = count;
        this.channels = channels;
        gaussians.ensure(count, channels);
        return gaussians;
    }

    /** The Gaussians the next {@link #forward} renders, read back (for tests of the kernels that write them). */
    public GaussianParams readInput() {
        gl.checkThread();
        return new GaussianParams(count, channels, gaussians.means.readFloats(3 * count),
                gaussians.logScales.readFloats(3 * count), gaussians.quats.readFloats(4 * count),
                gaussians.opacityLogits.readFloats(count), gaussians.features.readFloats(count * channels));
    }

    /** Floats per Gaussian in {@link #screenGradients()} for {@code channels} features. */
    public static int screenStride(int channels) {
        return RasterizeBackward.HEAD + channels;
    }

    /** dL/d(geometry) of the last {@link #backwardOnGpu()}, {@link #GEOMETRY_STRIDE} floats per Gaussian. */
    public GlBuffer geometryGradients() {
        return backward.geometryGradients();
    }

    /** Screen-space gradients of the last {@link #backwardOnGpu()}, dL/dfeatures at {@link #SCREEN_FEATURE_OFFSET}. */
    public GlBuffer screenGradients() {
        return backward.screenGradients();
    }

    /** Renders the uploaded Gaussians: the results stay on the GPU; read them with {@link #readForward}. */
    public void forward(Camera camera) {
        projectGaussians(camera);
        intersectTiles();
        rasterizeToPixels();
    }

    public void projectGaussians(Camera c) {
        gl.checkThread();
        this.cam = c;
        tilesX = CameraBlock.tilesX(c, TILE);
        tilesY = CameraBlock.tilesY(c, TILE);
        camera.upload(CameraBlock.encode(c, TILE));
        projected.ensure((long) ProjectedGaussian.BYTES * count);
        depthKeys.ensure(4L * count);
        depthOrder.ensure(4L * count);
        GlBuffer.checkError("allocating projection buffers for " + count + " Gaussians");
        ProjectGaussians.run(shaders, count, camera, gaussians, projected, depthKeys, depthOrder, depthKeyBits);
    }

    public void intersectTiles() {
        pairs = IntersectTiles.run(shaders, sort, scan, count, tilesX, tilesY, projected, depthKeys, depthOrder,
                depthKeyBits, offsets, tileKeys, isectIds, tileRanges);
    }

    public void rasterizeToPixels() {
        RasterizeToPixels.run(shaders, channels, cam.width(), cam.height(), tilesX, tilesY, projected,
                gaussians.features, isectIds, tileRanges, outFeatures, outAux, outLast);
        GlBuffer.checkError("rasterizing");
    }

    /** Number of (tile, Gaussian) pairs of the last forward. */
    public int intersections() {
        return pairs;
    }

    public GlRender readForward() {
        int pixels = cam.width() * cam.height();
        float[] aux = outAux.readFloats(3 * pixels);
        float[] alpha = java.util.Arrays.copyOfRange(aux, 0, pixels);
        float[] depth = java.util.Arrays.copyOfRange(aux, pixels, 2 * pixels);
        return new GlRender(cam.width(), cam.height(), channels, outFeatures.readFloats(channels * pixels), alpha,
                depth);
    }

    /** The projected splats, {@link ProjectedGaussian#WORDS} words each, as raw int bits (for stage tests). */
    public int[] readProjected() {
        return projected.readInts(0, count * ProjectedGaussian.WORDS);
    }

    /** The tile-sorted intersection list: Gaussian ids (for stage tests). */
    public int[] readIntersectionIds() {
        return isectIds.readInts(0, pairs);
    }

    /** [tiles, 2] start and end of each tile's run (for stage tests). */
    public int[] readTileRanges() {
        return tileRanges.readInts(0, 2 * tilesX * tilesY);
    }

    /**
     * Backward of the last forward: given dL/d(features) [C, H, W], dL/d(alpha) and dL/d(depth) [H, W] (either may
     * be null), the gradients of every parameter group.
     */
    public GaussianParams backward(float[] vFeatures, float[] vAlpha, float[] vDepth) {
        uploadImageGradients(vFeatures, vAlpha, vDepth);
        backwardOnGpu();
        return backward.read(count, channels);
    }

    /** The backward's first part: dL/d(features, alpha, depth) to the GPU. */
    public void uploadImageGradients(float[] vFeatures, float[] vAlpha, float[] vDepth) {
        gl.checkThread();
        backward.uploadImageGradients(channels, cam, vFeatures, vAlpha, vDepth);
    }

    /** The backward's kernels, from the uploaded image gradients; results stay on the GPU. */
    public void backwardOnGpu() {
        gl.checkThread();
        backward.dispatch(this, count, channels, cam, tilesX, tilesY);
    }

    /** The feature image [C, H, W] of the last forward, on the GPU. */
    public GlBuffer featureImage() {
        return outFeatures;
    }

    /** Alpha [H, W], then depth and transmittance, of the last forward, on the GPU. */
    public GlBuffer auxImage() {
        return outAux;
    }

    /**
     * The buffer the backward reads dL/d(features) [C, H, W], dL/d(alpha) and dL/d(depth) [H, W] from, sized for the
     * last forward; fill it on the GPU and call {@link #backwardOnGpu()}, then {@link #readGradients()}.
     */
    public GlBuffer imageGradients() {
        gl.checkThread();
        return backward.imageGradients(channels, cam);
    }

    /** The parameter gradients of the last {@link #backwardOnGpu()}. */
    public GaussianParams readGradients() {
        return backward.read(count, channels);
    }

    /** Bytes of GPU buffers this rasterizer holds now. */
    public long bufferBytes() {
        long sum = gaussians.bytes();
        for (GlBuffer b : new GlBuffer[] {camera, projected, depthKeys, depthOrder, depthKeyBits, offsets, tileKeys, isectIds,
                tileRanges, outFeatures, outAux, outLast}) {
            sum += b.capacity();
        }
        return sum + backward.bufferBytes();
    }

    @Override
    public void close() {
        gaussians.close();
        for (GlBuffer b : new GlBuffer[] {camera, projected, depthKeys, depthOrder, depthKeyBits, offsets, tileKeys, isectIds,
                tileRanges, outFeatures, outAux, outLast}) {
            b.close();
        }
        backward.close();
        sort.close();
        scan.close();
    }
}
