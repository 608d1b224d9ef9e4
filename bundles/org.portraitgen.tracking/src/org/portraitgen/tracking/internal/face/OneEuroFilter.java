package org.portraitgen.tracking.internal.face;

/**
 * Casiez et al.'s One Euro filter on a vector signal: a low-pass whose cut-off rises with the signal's speed, so
 * a still head is steadied and a moving one is followed. {@link #smoothClip} runs it forwards and backwards over a
 * whole clip and averages the two, which cancels the filter's lag (the tracker works offline).
 */
public final class OneEuroFilter {

    private final double rate;
    private final double minCutoff;
    private final double beta;
    private final double derivativeCutoff;

    /**
     * @param rate      samples per second
     * @param minCutoff cut-off (Hz) at rest: lower removes more jitter
     * @param beta      how fast the cut-off rises with speed (per unit of the signal per second)
     */
    public OneEuroFilter(double rate, double minCutoff, double beta) {
        this.rate = rate;
        this.minCutoff = minCutoff;
        this.beta = beta;
        this.derivativeCutoff = 1.0;
    }

    /** Filters {@code series[frame][dim]} causally; returns a new array. */
    public double[][] forward(double[][] series) {
        int n = series.length;
        double[][] out = new double[n][];
        if (n == 0) {
            return out;
        }
        int dims = series[0].length;
        double[] x = series[0].clone(), dx = new double[dims];
        out[0] = x.clone();
        for (int f = 1; f < n; f++) {
            for (int d = 0; d < dims; d++) {
                double rawDx = (series[f][d] - x[d]) * rate;
                dx[d] += alpha(derivativeCutoff) * (rawDx - dx[d]);
                double cutoff = minCutoff + beta * Math.abs(dx[d]);
                x[d] += alpha(cutoff) * (series[f][d] - x[d]);
            }
            out[f] = x.clone();
        }
        return out;
    }

    /** Zero-lag smoothing of a whole clip: the mean of a forward and a backward pass. */
    public double[][] smoothClip(double[][] series) {
        int n = series.length;
        double[][] fwd = forward(series);
        double[][] reversed = new double[n][];
        for (int f = 0; f < n; f++) {
            reversed[f] = series[n - 1 - f];
        }
        double[][] bwd = forward(reversed);
        double[][] out = new double[n][];
        for (int f = 0; f < n; f++) {
            double[] a = fwd[f], b = bwd[n - 1 - f], o = new double[a.length];
            for (int d = 0; d < a.length; d++) {
                o[d] = 0.5 * (a[d] + b[d]);
            }
            out[f] = o;
        }
        return out;
    }

    private double alpha(double cutoff) {
        double tau = 1 / (2 * Math.PI * cutoff);
        return 1 / (1 + tau * rate);
    }
}
