package org.portraitgen.editors.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.portraitgen.editors.onnx.internal.sched.DdimScheduler;
import org.portraitgen.editors.onnx.internal.sched.EulerScheduler;
import org.portraitgen.editors.onnx.internal.sched.NoiseSchedule;

/** The schedulers against diffusers' published values for Stable Diffusion's configuration. */
class SchedulerTest {

    final NoiseSchedule sd = NoiseSchedule.stableDiffusion();

    @Test
    void alphasCumprodMatchStableDiffusionsTable() {
        // ᾱ_0 = 1 − β_0; ᾱ_999 ≈ 0.0047, SD's final signal level (k-diffusion's σ_max 14.6146, σ_min 0.0292)
        assertEquals(0.99915, sd.alphaCumprod(0), 1e-12);
        assertEquals(0.99829603, sd.alphaCumprod(1), 1e-8);
        assertEquals(0.0046601, sd.alphaCumprod(999), 1e-6);
        assertEquals(14.6146, sd.sigma(999), 1e-4);
        assertEquals(0.0292, sd.sigma(0), 1e-4);
    }

    @Test
    void ddimTimestepsAreLeadingWithOffsetOne() {
        // diffusers tests/schedulers/test_scheduler_ddim.py test_steps_offset: set_timesteps(5) → 801, 601, 401, 201, 1
        assertArrayEquals(new int[] {801, 601, 401, 201, 1}, new DdimScheduler(sd, 5).timesteps());
        assertArrayEquals(new int[] {901, 801, 701, 601, 501, 401, 301, 201, 101, 1},
                new DdimScheduler(sd, 10).timesteps());
        // Instruct-NeRF2NeRF's img2img: num_train_timesteps = T, so 10 steps span [0, T]
        assertArrayEquals(new int[] {586, 521, 456, 391, 326, 261, 196, 131, 66, 1},
                new DdimScheduler(sd, 10, 650).timesteps());
    }

    @Test
    void ddimStepByHand() {
        DdimScheduler ddim = new DdimScheduler(sd, 10);
        float[] x = {0.5f, -1.25f};
        float[] eps = {0.1f, 0.7f};
        ddim.step(eps, 501, x);
        double at = sd.alphaCumprod(501);
        double ap = sd.alphaCumprod(401);
        for (int i = 0; i < 2; i++) {
            double x0 = ((i == 0 ? 0.5 : -1.25) - Math.sqrt(1 - at) * eps[i]) / Math.sqrt(at);
            assertEquals(Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps[i], x[i], 1e-5);
        }
        // the last step goes to ᾱ_0 (set_alpha_to_one = false)
        float[] y = {0.3f};
        ddim.step(new float[] {0.2f}, 1, y);
        double a1 = sd.alphaCumprod(1);
        double a0 = sd.alphaCumprod(0);
        double y0 = (0.3 - Math.sqrt(1 - a1) * 0.2) / Math.sqrt(a1);
        assertEquals(Math.sqrt(a0) * y0 + Math.sqrt(1 - a0) * 0.2, y[0], 1e-6);
    }

    @Test
    void addNoiseMixesByAlphaCumprod() {
        float[] x = {1f};
        new DdimScheduler(sd, 10).addNoise(x, new float[] {2f}, 500);
        double a = sd.alphaCumprod(500);
        assertEquals(Math.sqrt(a) + 2 * Math.sqrt(1 - a), x[0], 1e-6);
    }

    @Test
    void eulerSigmasRunFromSigmaMaxToZero() {
        EulerScheduler euler = new EulerScheduler(sd, 25);
        assertEquals(14.6146, euler.sigma(0), 1e-4);
        assertEquals(sd.sigma(0), euler.sigma(24), 1e-9);
        assertEquals(0, euler.sigma(25));
        assertEquals(999, euler.timestep(0), 1e-9);
        assertEquals(0, euler.timestep(24), 1e-9);
        float[] x = {2f};
        euler.step(new float[] {0.5f}, 0, x);
        assertEquals(2 + (euler.sigma(1) - euler.sigma(0)) * 0.5, x[0], 1e-5);
        assertEquals(1 / Math.sqrt(14.6146 * 14.6146 + 1), euler.inputScale(0), 1e-6);
    }
}
