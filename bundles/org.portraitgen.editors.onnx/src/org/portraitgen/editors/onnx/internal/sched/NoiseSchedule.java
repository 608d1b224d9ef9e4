package org.portraitgen.editors.onnx.internal.sched;

/**
 * Stable Diffusion's training noise schedule: 1000 steps of "scaled_linear" betas from 0.00085 to 0.012
 * (betas = linspace(√β₀, √β₁, N)², as diffusers computes them) and their cumulative products ᾱ_t = Π(1 − β_s), in
 * double precision as diffusers does before casting.
 */
public final class NoiseSchedule {

    public static final int TRAIN_STEPS = 1000;
    public static final double BETA_START = 0.00085;
    public static final double BETA_END = 0.012;

    private final double[] alphasCumprod;

    public NoiseSchedule(int trainSteps, double betaStart, double betaEnd) {
        alphasCumprod = new double[trainSteps];
        double a = Math.sqrt(betaStart);
        double b = Math.sqrt(betaEnd);
        double product = 1;
        for (int t = 0; t < trainSteps; t++) {
            double s = a + (b - a) * t / (trainSteps - 1);
            product *= 1 - s * s;
            alphasCumprod[t] = product;
        }
    }

    public static NoiseSchedule stableDiffusion() {
        return new NoiseSchedule(TRAIN_STEPS, BETA_START, BETA_END);
    }

    public int trainSteps() {
        return alphasCumprod.length;
    }

    /** ᾱ_t, the fraction of signal variance left at training step t. */
    public double alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    /** The Karras/Euler noise level σ_t = √((1 − ᾱ_t) / ᾱ_t). */
    public double sigma(int t) {
        return Math.sqrt((1 - alphasCumprod[t]) / alphasCumprod[t]);
    }
}
