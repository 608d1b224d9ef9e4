package org.portraitgen.tracking.internal.rig;

/**
 * How far the shell must reach in each boundary direction so that every foreground pixel of the mask lies under a
 * triangle: the farthest foreground pixel within each wedge between neighbouring boundary directions (seen from the
 * face centre), enlarged so that the chord between two ring vertices still passes beyond it.
 */
public final class ShellReach {

    private static final int BINS = 720;
    private static final float FOREGROUND = 0.05f;

    private ShellReach() {
    }

    /**
     * @param mask       h*w values in [0, 1]
     * @param boundaryXy x,y per boundary vertex (image pixels), the loop in order
     * @return per boundary vertex, the outer radius from the centre (pixels), at least 1.3x the boundary's radius
     */
    public static double[] outerRadii(float[] mask, int w, int h, double[] boundaryXy, double cx, double cy) {
        double[] farthest = new double[BINS];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask[y * w + x] > FOREGROUND) {
                    // pixel corners, not centres, must be covered
                    double dx = x + 0.5 - cx, dy = y + 0.5 - cy, r = Math.hypot(dx, dy) + 0.75;
                    int bin = bin(Math.atan2(dy, dx));
                    farthest[bin] = Math.max(farthest[bin], r);
                }
            }
        }
        int l = boundaryXy.length / 2;
        double[] angle = new double[l], base = new double[l];
        for (int i = 0; i < l; i++) {
            double dx = boundaryXy[2 * i] - cx, dy = boundaryXy[2 * i + 1] - cy;
            angle[i] = Math.atan2(dy, dx);
            base[i] = Math.hypot(dx, dy);
        }
        double[] out = new double[l];
        for (int i = 0; i < l; i++) {
            out[i] = 1.3 * base[i];
        }
        for (int i = 0; i < l; i++) {
            int j = (i + 1) % l;
            double span = wrap(angle[j] - angle[i]);
            double from = Math.min(angle[i], angle[i] + span), to = Math.max(angle[i], angle[i] + span);
            double need = 0;
            // one bin of slack either side: a pixel straddles bins
            for (double a = from - 2 * Math.PI / BINS; a <= to + 2 * Math.PI / BINS; a += Math.PI / BINS) {
                need = Math.max(need, farthest[bin(a)]);
            }
            need = need / Math.cos(Math.min(Math.abs(span), 1.2)) + 2;
            out[i] = Math.max(out[i], need);
            out[j] = Math.max(out[j], need);
        }
        return out;
    }

    private static int bin(double angle) {
        double a = wrap(angle) + Math.PI;
        return Math.min(BINS - 1, (int) (a / (2 * Math.PI) * BINS));
    }

    private static double wrap(double a) {
        while (a > Math.PI) {
            a -= 2 * Math.PI;
        }
        while (a < -Math.PI) {
            a += 2 * Math.PI;
        }
        return a;
    }
}
