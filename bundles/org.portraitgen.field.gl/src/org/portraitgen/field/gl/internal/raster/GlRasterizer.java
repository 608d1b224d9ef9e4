package org.portraitgen.field.gl.internal.raster;

import static org.lwjgl.opengl.GL43C.*;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.GlFences;
import org.portraitgen.field.gl.internal.GlHostInts;
import org.portraitgen.field.gl.internal.GpuChecks;
import org.portraitgen.field.gl.internal.GpuFill;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.sort.PrefixSum;
import org.portraitgen.field.gl.internal.sort.RadixSort;

/**
 * The tile rasterizer of 3D Gaussian Splatting on the GPU, stage by stage as the CPU reference
 * ({@code org.portraitgen.field.internal.raster.Rasterizer}): projectGaussians, intersectTiles, rasterizeToPixels,
 * and the backward pass. Owns its GPU buffers, which grow and are reused frame after frame. Every method must run on
 * the context's GL thread (inside {@link GlContext#call}).
 *
 * <p>A forward is queued without a read-back in the middle: the tile-pair buffers keep a capacity from earlier
 * frames (with headroom), and only once the rasterizer's kernels are queued does the host wait for the frame's pair
 * count (a fence right after it is known, so the GPU still has the frame's pair sort and rasterization to run while
 * the host reads it). A frame that needed more pairs grows the buffers and is intersected and rasterized again
 * before {@link #forward} returns, so no pair is ever dropped; the first frame always goes that way. A trainer can
 * leave even that wait out: {@link #queueForward} does not wait for the count, and one
 * {@link #pairsFitSinceLastCheck} per step says whether any frame since the last check needed more room (the
 * buffers have then grown, and those frames must be rendered again). {@link #queuePairsCheck} queues that check's
 * read as a GPU copy into mapped host memory, for a caller that reads it after other work is queued (the GPU service
 * reads it after the render's CNN submit).
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
    /** The frame's number of pairs, copied out of offsets so that reading it waits for nothing later. */
    private final GlBuffer pairTotal = new GlBuffer("tile pair total");
    /** The most pairs any frame needed since the last {@link #pairsFitSinceLastCheck}, raised on the GPU. */
    private final GlBuffer pairsNeeded = new GlBuffer("most tile pairs needed");
    private final RasterizeBackward backward;

    private int count;
    private int channels;
    private Camera cam;
    private int tilesX;
    private int tilesY;
    private int pairs;
    /** How long {@link #awaitPairsFence} spins (a frame's queued neural-renderer work fits) before it sleeps. */
    private static final long SPIN_NANOS = 50_000_000L;
    /** Room in tileKeys and isectIds (and the sort's spare buffers), in pairs. */
    private int pairCapacity;
    /** Signalled when the last intersection's pair count is in pairTotal; 0 when none is pending. */
    private long pairsFence;
    /** Whether the last intersection's pair count is yet to be checked against the capacity it ran with. */
    private boolean pairsPending;
    /** Whether the last intersection has been rasterized (so that a redo rasterizes too). */
    private boolean rasterized;
    /** The last forward was {@link #queueForward}: its pair count is unknown on the host (and unchecked). */
    private boolean pairsUnread;
    /** dL/d(alpha, depth) has been cleared since the last forward. */
    private boolean alphaDepthCleared;

    public GlRasterizer(GlContext gl) {
        gl.checkThread();
        this.gl = gl;
        this.shaders = gl.shaders();
        this.scan = new PrefixSum(shaders);
        this.sort = new RadixSort(shaders, scan);
        this.backward = new RasterizeBackward(shaders);
        tileKeys.ensure(4);
        isectIds.ensure(4);
        GpuFill.zero(shaders, pairsNeeded, 4);
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
        queueIntersection();
        queueRasterization();
        confirmPairs();
    }

    /**
     * A forward that does not wait for its pair count, for a trainer's frames: the GPU never waits for the host
     * between frames. The pair buffers keep the capacity of earlier frames; a frame that needs more renders with
     * its tiles empty, and only {@link #pairsFitSinceLastCheck} tells. A caller must call that before it uses
     * anything computed from these frames outside the GPU (before applying their gradients), and redo them when it
     * returns false. The first forward of a rasterizer (no capacity known yet) waits, as {@link #forward}.
     */
    public void queueForward(Camera camera) {
        if (pairCapacity == 0) {
            forward(camera);
            return;
        }
        projectGaussians(camera);
        queueIntersection();
        queueRasterization();
        deletePairsFence();
        pairsPending = false;
        pairsUnread = true;
    }

    /**
     * Whether every frame since the last call (or since this rasterizer was made) had room for its tile pairs.
     * When one did not, the pair buffers grow to fit it and this returns false: frames from {@link #queueForward}
     * since the last call were rendered with tiles missing and must be rendered again. Reads one int from the GPU
     * (waiting for the frames queued so far).
     */
    public boolean pairsFitSinceLastCheck() {
        gl.checkThread();
        int needed = pairsNeeded.readInts(0, 1)[0];
        GpuFill.zero(shaders, pairsNeeded, 4);
        return pairsFit(needed);
    }

    /**
     * {@link #pairsFitSinceLastCheck} without a read-back command: queues a copy of the most pairs any frame needed
     * since the last check into int {@code word} of {@code into} and starts the next check; once {@code into} is
     * fenced and read, {@link #pairsFit} with that int gives the verdict (and grows the buffers). A caller that
     * queues this in the same GL request as its {@link #queueForward} learns about that forward alone (the
     * {@link #forward}s of other requests always fit: they grow the buffers themselves).
     */
    public void queuePairsCheck(GlHostInts into, int word) {
        gl.checkThread();
        into.copyFrom(pairsNeeded, 0, word);
        GpuFill.zero(shaders, pairsNeeded, 4);
    }

    /**
     * Sets {@code bit} of {@code flags}[0] when a frame since the last check needed more tile pairs than the
     * buffers hold, on the GPU ({@link GpuChecks}; before {@link #queuePairsCheck}, which reads and resets the count).
     */
    public void flagPairOverflow(GlBuffer flags, int bit) {
        gl.checkThread();
        GpuChecks.flagIfAbove(shaders, pairsNeeded, 0, pairCapacity, flags, bit);
    }

    /**
     * The verdict of a {@link #queuePairsCheck} on the most pairs a frame needed, {@code needed} as read: true when
     * it fit; else the pair buffers grow to fit it and this returns false (the frames it covers have empty tiles).
     */
    public boolean pairsFit(int needed) {
        gl.checkThread();
        if (needed < 0) {
            throw new GlException(Integer.toUnsignedString(needed) + " tile intersections in a frame of " + count
                    + " Gaussians: more than the GPU path can index");
        }
        if (needed <= pairCapacity) {
            return true;
        }
        growPairs(needed);
        return false;
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

    /** The intersection stage alone, its pair count checked (and the pairs emitted again if they did not fit). */
    public void intersectTiles() {
        queueIntersection();
        confirmPairs();
    }

    /** The rasterization stage alone (after {@link #intersectTiles}). */
    public void rasterizeToPixels() {
        queueRasterization();
        confirmPairs();
    }

    private void queueIntersection() {
        gl.checkThread();
        IntersectTiles.countPairs(shaders, sort, scan, count, projected, depthKeys, depthOrder, depthKeyBits,
                offsets);
        pairTotal.ensure(4);
        glBindBuffer(GL_COPY_READ_BUFFER, offsets.id());
        glBindBuffer(GL_COPY_WRITE_BUFFER, pairTotal.id());
        glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 4L * count, 0, 4);
        deletePairsFence();
        pairsFence = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
        glFlush(); // the GPU starts on the frame while the host queues the rest
        pairsPending = true;
        pairsUnread = false;
        rasterized = false;
        alphaDepthCleared = false;
        IntersectTiles.emitPairs(shaders, sort, count, tilesX, tilesY, pairCapacity, projected, depthOrder, offsets,
                tileKeys, isectIds, tileRanges, pairsNeeded);
    }

    private void queueRasterization() {
        RasterizeToPixels.run(shaders, channels, cam.width(), cam.height(), tilesX, tilesY, projected,
                gaussians.features, isectIds, tileRanges, outFeatures, outAux, outLast);
        GlBuffer.checkError("rasterizing");
        rasterized = true;
    }

    /**
     * Reads the last intersection's pair count (waiting for the GPU to have counted them, not for what is queued
     * after) and, if the pair buffers were too small for it, grows them and emits, sorts and (if it was already
     * queued) rasterizes the frame again.
     */
    private void confirmPairs() {
        if (!pairsPending) {
            return;
        }
        awaitPairsFence();
        pairsPending = false;
        int total = pairTotal.readInts(0, 1)[0];
        if (total < 0) {
            throw new GlException(Integer.toUnsignedString(total) + " tile intersections for " + count
                    + " Gaussians: more than the GPU path can index");
        }
        pairs = total;
        if (total <= pairCapacity) {
            return;
        }
        growPairs(total);
        IntersectTiles.emitPairs(shaders, sort, count, tilesX, tilesY, pairCapacity, projected, depthOrder, offsets,
                tileKeys, isectIds, tileRanges, pairsNeeded);
        if (rasterized) {
            queueRasterization();
        }
    }

    /** Room for {@code needed} pairs plus half as many again (frames of one scene vary), within the GPU's limit. */
    private void growPairs(int needed) {
        long limit = gl.capabilities().maxStorageBlockBytes() / 4;
        long room = Math.max(needed, Math.min(needed + needed / 2L, limit));
        tileKeys.ensure(4L * room);
        isectIds.ensure(4L * room);
        GlBuffer.checkError("allocating " + room + " tile intersections");
        pairCapacity = (int) room;
    }

    /**
     * Waits for the pair count, spinning for up to {@link #SPIN_NANOS} before sleeping: the GPU has only the
     * frame's pair sort and rasterization (a few tenths of a millisecond) queued behind the fence, so a wait that
     * wakes up later than that leaves it idle until the host queues the next work.
     */
    private void awaitPairsFence() {
        GlFences.await(pairsFence, SPIN_NANOS, "the tile pair count of " + count + " Gaussians");
        deletePairsFence();
    }

    private void deletePairsFence() {
        if (pairsFence != 0) {
            glDeleteSync(pairsFence);
            pairsFence = 0;
        }
    }

    /** Number of (tile, Gaussian) pairs of the last forward. */
    public int intersections() {
        confirmPairs();
        if (pairsUnread) {
            int total = pairTotal.readInts(0, 1)[0];
            if (Integer.compareUnsigned(total, pairCapacity) > 0) {
                throw new GlException("the last queued frame needed " + Integer.toUnsignedString(total)
                        + " tile pairs and had room for " + pairCapacity + ": its tiles are empty; call "
                        + "pairsFitSinceLastCheck() and render it again");
            }
            pairs = total;
            pairsUnread = false;
        }
        return pairs;
    }

    /** Pairs the intersection buffers hold room for now (grown on demand, kept between frames). */
    public int pairCapacity() {
        return pairCapacity;
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
        return isectIds.readInts(0, intersections());
    }

    /** [tiles, 2] start and end of each tile's run (for stage tests). */
    public int[] readTileRanges() {
        confirmPairs();
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
        confirmPairs();
        backward.dispatch(this, count, channels, cam, tilesX, tilesY);
    }

    /**
     * The backward's kernels with dL/dfeatures [C, H, W] read from {@code featureGradients} (e.g. the neural
     * renderer's input gradient, with the feature losses' gradients added in place) and dL/d(alpha, depth) from
     * {@link #alphaDepthGradients()}: no [C + 2, H, W] buffer to clear and copy into. Results stay on the GPU.
     */
    public void backwardOnGpu(GlBuffer featureGradients) {
        gl.checkThread();
        confirmPairs();
        backward.dispatch(this, count, channels, cam, tilesX, tilesY, featureGradients, alphaDepthGradients(), 0);
    }

    /**
     * dL/d(alpha) [H, W] then dL/d(depth) [H, W] for {@link #backwardOnGpu(GlBuffer)}, sized for the last forward
     * and zero after each forward (cleared on the GPU when first asked for): add losses' gradients into it.
     */
    public GlBuffer alphaDepthGradients() {
        gl.checkThread();
        if (!alphaDepthCleared) {
            backward.clearedAuxGradients(cam);
            alphaDepthCleared = true;
        }
        return backward.auxGradients();
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
        deletePairsFence();
        for (GlBuffer b : new GlBuffer[] {camera, projected, depthKeys, depthOrder, depthKeyBits, offsets, tileKeys, isectIds,
                tileRanges, outFeatures, outAux, outLast, pairTotal, pairsNeeded}) {
            b.close();
        }
        backward.close();
        sort.close();
        scan.close();
    }
}
