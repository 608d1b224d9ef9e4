package org.portraitgen.editors.onnx.internal.sched;

/**
 * Euler's method on the probability-flow ODE in σ (diffusers' EulerDiscreteScheduler, "linspace" spacing, linear
 * interpolation of σ between training steps): σ_i from σ_max to the last step, then 0. The model sees
 * x / √(σ² + 1) and predicts ε; x ← x + (σ_next − σ) · ε. Used by IC-Light's relighting.
 */
public final class EulerScheduler {

    private final double[] timesteps;
    private final double[] sigmas;

    public EulerScheduler(NoiseSchedule schedule, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        int n = schedule.trainSteps();
        timesteps = new double[steps];
        sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++) {
            double t = steps == 1 ? n - 1 : (n - 1) * (1 - (double) i / (steps - 1));
            timesteps[i] = t;
            int lo = (int) Math.floor(t);
            int hi = Math.min(lo + 1, n - 1);
            double w = t - lo;
            sigmas[i] = (1 - w) * schedule.sigma(lo) + w * schedule.sigma(hi);
        }
        sigmas[steps] = 0;
    }

    public int steps() {
        return timesteps.length;
    }

    public double timestep(int i) {
        return timesteps[i];
    }

    public double sigma(int i) {
        return sigmas[i];
    }

    /** The first step of an img2img run at {@code strength}: the last round(steps·strength) steps run. */
    public int img2imgStart(double strength) {
        return timesteps.length - Math.min(timesteps.length, (int) Math.round(timesteps.length * strength));
    }

    /** The factor the model input is scaled by at step i: 1 / √(σ² + 1). */
    public float inputScale(int i) {
        return (float) (1 / Math.sqrt(sigmas[i] * sigmas[i] + 1));
    }

    /** x ← x + (σ_{i+1} − σ_i) · ε, in place. */
    public void step(float[] eps, int i, float[] sample) {
        float dt = (float) (sigmas[i + 1] - sigmas[i]);
        for (int k = 0; k < sample.length; k++) {
            sample[k] += dt * eps[k];
        }
    }
}
