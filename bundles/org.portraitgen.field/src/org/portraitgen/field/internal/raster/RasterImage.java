package org.portraitgen.field.internal.raster;

/**
 * The rasterizer's output for one camera, plus what its backward pass needs.
 * Images are planar: {@code features[(c * height + y) * width + x]}, as in FloatImage.
 */
public final class RasterImage {
    public final int width;
    public final int height;
    public final int channels;
    /** [C, H, W] composited features. */
    public final double[] features;
    /** [H, W] 1 - final transmittance. */
    public final double[] alpha;
    /** [H, W] alpha-weighted camera depth (not normalised by alpha). */
    public final double[] depth;
    /** [H, W] final transmittance, for the backward pass. */
    final double[] finalT;
    /** [H, W] one past the index (into the tile's sorted list) of the last Gaussian composited. */
    final int[] lastContributor;
    final Projection projection;
    final TileBins bins;

    RasterImage(int width, int height, int channels, Projection projection, TileBins bins) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        int pixels = width * height;
        features = new double[channels * pixels];
        alpha = new double[pixels];
        depth = new double[pixels];
        finalT = new double[pixels];
        lastContributor = new int[pixels];
        this.projection = projection;
        this.bins = bins;
    }

    /**
     * projectGaussians' output, for other backends' per-stage tests: [N, 2] pixel xy, [N, 3] conics, [N] opacities,
     * [N] camera depths, [N, 4] inclusive tile rectangles (x0 > x1 when culled). The arrays are the live ones.
     */
    public double[][] projectedSplats() {
        return new double[][] {projection.xy, projection.conics, projection.opacities, projection.depths};
    }

    public int[] projectedTileRects() {
        return projection.tileRects;
    }

    /** How many Gaussians survived culling (in front of the camera and touching the image). */
    public int visibleGaussians() {
        return projection.visible;
    }

    /** How many (tile, Gaussian) pairs were composited. */
    public int tileIntersections() {
        return bins.gaussianIds.length;
    }
}
