package org.portraitgen.tracking.smplx.internal.fit;

/**
 * A frame's person mask as a signed distance field: for every pixel the Euclidean distance (px) to the mask's edge,
 * taken halfway between an inside and an outside pixel, positive outside and negative inside. Built from two exact
 * transforms (distance to the nearest inside pixel, to the nearest outside pixel) by Felzenszwalb & Huttenlocher's
 * method ("Distance Transforms of Sampled Functions", Theory of Computing 8, 2012: the 1-D lower envelope of
 * parabolas along columns, then along rows). Sampled bilinearly with its gradient, so projected mesh contour points
 * get a residual that is differentiable in their image position and unbiased at the edge.
 */
public final class Silhouette {

    private static final double FAR = 1e20;

    final int width, height;
    private final float[] distance;

    /**
     * @param mask      [height, width] row-major coverage in [0, 1]
     * @param threshold pixels above it are inside the person
     */
    public Silhouette(float[] mask, int width, int height, double threshold) {
        if (mask.length != width * height) {
            throw new IllegalArgumentException("mask has " + mask.length + " values, expected " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        int n = width * height;
        double[] toInside = new double[n], toOutside = new double[n];
        int inside = 0;
        for (int i = 0; i < n; i++) {
            boolean in = mask[i] > threshold;
            toInside[i] = in ? 0 : FAR;
            toOutside[i] = in ? FAR : 0;
            inside += in ? 1 : 0;
        }
        distance = new float[n];
        // an empty or full mask has no edge; the image border is none either (a person cut by the frame goes on)
        if (inside == 0 || inside == n) {
            java.util.Arrays.fill(distance, Float.NaN);
            return;
        }
        transform2d(toInside);
        transform2d(toOutside);
        for (int i = 0; i < n; i++) {
            distance[i] = (float) (mask[i] > threshold ? 0.5 - Math.sqrt(toOutside[i]) : Math.sqrt(toInside[i]) - 0.5);
        }
    }

    /** Whether the mask has an edge at all (an empty or full mask gives no silhouette). */
    public boolean usable() {
        return !Float.isNaN(distance[0]);
    }

    /** Squared Euclidean distance transform in place: columns, then rows. */
    private void transform2d(double[] f) {
        double[] col = new double[height], colOut = new double[height];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                col[y] = f[y * width + x];
            }
            transform1d(col, height, colOut);
            for (int y = 0; y < height; y++) {
                f[y * width + x] = colOut[y];
            }
        }
        double[] row = new double[width], rowOut = new double[width];
        for (int y = 0; y < height; y++) {
            System.arraycopy(f, y * width, row, 0, width);
            transform1d(row, width, rowOut);
            System.arraycopy(rowOut, 0, f, y * width, width);
        }
    }

    /** Squared distance transform of a sampled function in 1-D (lower envelope of parabolas). */
    private static void transform1d(double[] f, int n, double[] d) {
        int[] v = new int[n];
        double[] z = new double[n + 1];
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double s;
            while (true) {
                int p = v[k];
                s = ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
                if (s <= z[k] && k > 0) {
                    k--;
                } else {
                    break;
                }
            }
            if (s <= z[k]) { // k == 0 and the new parabola is lower everywhere
                v[0] = q;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            d[q] = (double) (q - v[k]) * (q - v[k]) + f[v[k]];
        }
    }

    /** The signed distance at pixel centre (x, y): positive outside the mask, negative inside. */
    public double at(int x, int y) {
        return distance[y * width + x];
    }

    /**
     * Bilinear signed distance at image point (u, v) (pixel centres at integers), with its gradient in
     * {@code grad}; NaN outside the image.
     */
    public double sample(double u, double v, double[] grad) {
        if (!(u >= 0 && v >= 0 && u <= width - 1 && v <= height - 1)) {
            return Double.NaN;
        }
        int x0 = Math.min((int) u, width - 2), y0 = Math.min((int) v, height - 2);
        double fx = u - x0, fy = v - y0;
        double a = at(x0, y0), b = at(x0 + 1, y0), c = at(x0, y0 + 1), d = at(x0 + 1, y0 + 1);
        grad[0] = (1 - fy) * (b - a) + fy * (d - c);
        grad[1] = (1 - fx) * (c - a) + fx * (d - b);
        return (1 - fy) * ((1 - fx) * a + fx * b) + fy * ((1 - fx) * c + fx * d);
    }
}
