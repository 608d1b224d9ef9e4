package org.portraitgen.editors.builtin.internal;

/**
 * An RGB painting surface with round brush strokes along polylines. Coverage inside one stroke is the maximum over
 * its segments, so a stroke folding over itself does not darken, as real paint laid in one pass would not.
 */
final class Canvas {

    final int width;
    final int height;
    /** [3][w * h] RGB; negative until painted. */
    final float[][] rgb;

    Canvas(int width, int height) {
        this.width = width;
        this.height = height;
        rgb = new float[3][width * height];
        for (float[] p : rgb) {
            java.util.Arrays.fill(p, -1f);
        }
    }

    boolean painted(int i) {
        return rgb[0][i] >= 0;
    }

    /**
     * Paints a stroke of radius {@code r} through {@code xs/ys} (n points) with an antialiased edge.
     *
     * @param opacity in (0, 1]: below 1 lets earlier layers show through, as thin paint does
     */
    void stroke(float[] xs, float[] ys, int n, float r, float[] colour, float opacity) {
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, xs[i]);
            maxX = Math.max(maxX, xs[i]);
            minY = Math.min(minY, ys[i]);
            maxY = Math.max(maxY, ys[i]);
        }
        int x0 = Math.max(0, (int) Math.floor(minX - r - 1));
        int y0 = Math.max(0, (int) Math.floor(minY - r - 1));
        int x1 = Math.min(width - 1, (int) Math.ceil(maxX + r + 1));
        int y1 = Math.min(height - 1, (int) Math.ceil(maxY + r + 1));
        if (x0 > x1 || y0 > y1) {
            return;
        }
        int bw = x1 - x0 + 1;
        float[] coverage = new float[bw * (y1 - y0 + 1)];
        for (int s = 0; s < Math.max(1, n - 1); s++) {
            int e = Math.min(s + 1, n - 1);
            capsule(coverage, x0, y0, x1, y1, bw, xs[s], ys[s], xs[e], ys[e], r);
        }
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                float a = coverage[(y - y0) * bw + x - x0] * opacity;
                if (a <= 0) {
                    continue;
                }
                int i = y * width + x;
                for (int c = 0; c < 3; c++) {
                    float old = rgb[c][i] < 0 ? colour[c] : rgb[c][i];
                    rgb[c][i] = old + a * (colour[c] - old);
                }
            }
        }
    }

    private static void capsule(float[] coverage, int x0, int y0, int x1, int y1, int bw, float ax, float ay,
            float bx, float by, float r) {
        float dx = bx - ax;
        float dy = by - ay;
        float len2 = dx * dx + dy * dy;
        int cx0 = Math.max(x0, (int) Math.floor(Math.min(ax, bx) - r - 1));
        int cx1 = Math.min(x1, (int) Math.ceil(Math.max(ax, bx) + r + 1));
        int cy0 = Math.max(y0, (int) Math.floor(Math.min(ay, by) - r - 1));
        int cy1 = Math.min(y1, (int) Math.ceil(Math.max(ay, by) + r + 1));
        for (int y = cy0; y <= cy1; y++) {
            for (int x = cx0; x <= cx1; x++) {
                float t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
                float px = ax + t * dx - x;
                float py = ay + t * dy - y;
                float cov = Math.min(1, Math.max(0, r + 0.5f - (float) Math.sqrt(px * px + py * py)));
                int k = (y - y0) * bw + x - x0;
                if (cov > coverage[k]) {
                    coverage[k] = cov;
                }
            }
        }
    }
}
