package org.portraitgen.editors.onnx.internal.sched;

/**
 * Deterministic DDIM (η = 0) as diffusers' DDIMScheduler with Stable Diffusion's configuration: "leading" timestep
 * spacing, steps_offset 1, set_alpha_to_one false (the step after the last uses ᾱ₀), ε-prediction, no clipping.
 * With 10 steps the timesteps are 901, 801, …, 1.
 *
 * <p>img2img as Instruct-NeRF2NeRF and PortraitGen run it: the steps span [0, T] instead of [0, 1000] (diffusers'
 * num_train_timesteps set to T with the 1000-step ᾱ table kept), so a noise level t = T/1000 in [0.5, 0.8] still gets
 * all of its 10 steps; the input is noised to the first timestep.
 */
public final class DdimScheduler {

    private final NoiseSchedule schedule;
    private final int[] timesteps;
    private final int stepRatio;

    public DdimScheduler(NoiseSchedule schedule, int steps) {
        this(schedule, steps, schedule.trainSteps());
    }

    /** Steps over [0, span) of the schedule: span = round(t · 1000) for img2img from noise level t. */
    public DdimScheduler(NoiseSchedule schedule, int steps, int span) {
        if (span < 1 || span > schedule.trainSteps()) {
            throw new IllegalArgumentException("noise level must be in (0, 1], got " + span + "/"
                    + schedule.trainSteps());
        }
        if (steps < 1 || steps > span) {
            throw new IllegalArgumentException("steps must be in [1, " + span + "], got " + steps);
        }
        this.schedule = schedule;
        this.stepRatio = span / steps;
        this.timesteps = new int[steps];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = (steps - 1 - i) * stepRatio + 1;
        }
    }

    public int[] timesteps() {
        return timesteps.clone();
    }

    /** x_t = √ᾱ_t · x₀ + √(1 − ᾱ_t) · ε, in place into {@code x0}. */
    public void addNoise(float[] x0, float[] noise, int t) {
        double a = schedule.alphaCumprod(t);
        float s = (float) Math.sqrt(a);
        float n = (float) Math.sqrt(1 - a);
        for (int i = 0; i < x0.length; i++) {
            x0[i] = s * x0[i] + n * noise[i];
        }
    }

    /** One DDIM step from t to t − ratio, in place into {@code sample}. */
    public void step(float[] eps, int t, float[] sample) {
        int prev = t - stepRatio;
        double aT = schedule.alphaCumprod(t);
        double aPrev = prev >= 0 ? schedule.alphaCumprod(prev) : schedule.alphaCumprod(0);
        double sqrtAT = Math.sqrt(aT);
        double sqrt1mAT = Math.sqrt(1 - aT);
        double sqrtAPrev = Math.sqrt(aPrev);
        double sqrt1mAPrev = Math.sqrt(1 - aPrev);
        for (int i = 0; i < sample.length; i++) {
            double x0 = (sample[i] - sqrt1mAT * eps[i]) / sqrtAT;
            sample[i] = (float) (sqrtAPrev * x0 + sqrt1mAPrev * eps[i]);
        }
    }
}
