package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bench.Parity;
import org.portraitgen.field.gl.internal.train.GlAdam;
import org.portraitgen.field.internal.loss.Adam;

/**
 * GPU Adam (shaders/cnn/adam.comp through GlAdam) against the CPU's loss.Adam over several steps, on two groups
 * in one flat buffer: a double group (the Gaussians' eps 1e-15) and a float group (the renderer's eps 1e-8), with
 * their own learning rates, gradients from 1e-4 to 10 that change sign between steps. The parameters' changes and
 * both moments agree to float rounding (bound 1e-5; a wrong beta, bias correction or eps is 1e-3 or more). And the
 * finite check flags exactly the groups holding NaN or infinity.
 */
class GlAdamTest {

    @Test
    void gpuAdamMatchesTheCpuOverSeveralSteps() {
        int na = 700;
        int nb = 300;
        Random rnd = new Random(3);
        double[] a = new double[na];
        double[] ga = new double[na];
        float[] b = new float[nb];
        float[] gb = new float[nb];
        for (int i = 0; i < na; i++) {
            a[i] = rnd.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < nb; i++) {
            b[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        double[] a0 = a.clone();
        float[] b0 = b.clone();
        Adam adam = new Adam();
        adam.add("offsets", 1.6e-2, a, ga);
        adam.add("renderer0", 3e-3, b, gb);
        float[] flat = new float[na + nb];
        for (int i = 0; i < na; i++) {
            flat[i] = (float) a[i];
        }
        System.arraycopy(b, 0, flat, na, nb);
        GlContext gl = SharedContext.get();
        GlBuffer params = new GlBuffer("test params");
        GlBuffer grads = new GlBuffer("test grads");
        GlBuffer m = new GlBuffer("test m");
        GlBuffer v = new GlBuffer("test v");
        GlAdam gpu = gl.call(() -> {
            params.upload(flat);
            m.zero(4L * flat.length);
            v.zero(4L * flat.length);
            return new GlAdam(gl.shaders());
        });
        try {
            for (int step = 0; step < 4; step++) {
                float[] g = new float[na + nb];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) ((rnd.nextDouble() * 2 - 1) * Math.pow(10, rnd.nextInt(6) - 4));
                }
                for (int i = 0; i < na; i++) {
                    ga[i] = g[i];
                }
                System.arraycopy(g, na, gb, 0, nb);
                adam.update();
                double c1 = adam.biasCorrection1();
                double c2 = adam.biasCorrection2();
                gl.call(() -> {
                    grads.upload(g);
                    gpu.update(params, grads, m, v, 0, na, 1.6e-2, Adam.EPS_GAUSSIANS, c1, c2);
                    gpu.update(params, grads, m, v, na, nb, 3e-3, Adam.EPS_RENDERER, c1, c2);
                    return null;
                });
            }
            float[][] got = gl.call(() -> new float[][] {params.readFloats(na + nb), m.readFloats(na + nb),
                v.readFloats(na + nb)});
            double[] cpuDelta = new double[na + nb];
            float[] gpuDelta = new float[na + nb];
            double[] cpuM = new double[na + nb];
            double[] cpuV = new double[na + nb];
            for (int i = 0; i < na + nb; i++) {
                boolean first = i < na;
                cpuDelta[i] = first ? a[i] - a0[i] : b[i - na] - b0[i - na];
                gpuDelta[i] = (float) (got[0][i] - (first ? (float) a0[i] : b0[i - na]));
                Adam.Group grp = adam.groups().get(first ? 0 : 1);
                cpuM[i] = grp.m[first ? i : i - na];
                cpuV[i] = grp.v[first ? i : i - na];
            }
            double eDelta = Parity.relativeL2(cpuDelta, gpuDelta);
            double eM = Parity.relativeL2(cpuM, got[1]);
            double eV = Parity.relativeL2(cpuV, got[2]);
            System.out.printf("GPU Adam vs CPU over 4 steps: parameter change %.1e, m %.1e, v %.1e%n", eDelta, eM, eV);
            assertTrue(eDelta < 1e-5, "parameter change " + eDelta);
            assertTrue(eM < 1e-5, "m " + eM);
            assertTrue(eV < 1e-5, "v " + eV);
        } finally {
            gl.call(() -> {
                for (GlBuffer buf : new GlBuffer[] {params, grads, m, v}) {
                    buf.close();
                }
                gpu.close();
                return null;
            });
        }
    }

    @Test
    void theFiniteCheckFlagsExactlyTheGroupsWithNanOrInfinity() {
        GlContext gl = SharedContext.get();
        // groups of 300: [0] finite incl. the largest float, [1] a NaN, [2] +inf, [3] -inf, [4] finite; a NaN
        // right after group 4's range must not count
        float[] values = new float[5 * 300 + 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        values[17] = Float.MAX_VALUE;
        values[300 + 299] = Float.NaN;
        values[600 + 1] = Float.POSITIVE_INFINITY;
        values[900 + 150] = Float.NEGATIVE_INFINITY;
        values[1500] = Float.NaN;
        int flags = gl.call(() -> {
            try (GlAdam adam = new GlAdam(gl.shaders()); GlBuffer buf = new GlBuffer("test values")) {
                buf.upload(values);
                adam.clearFlags();
                for (int g = 0; g < 5; g++) {
                    adam.flagNonFinite(buf, 300 * g, 300, 3 + g);
                }
                return adam.readFlags();
            }
        });
        assertEquals((1 << 4) | (1 << 5) | (1 << 6), flags, Integer.toBinaryString(flags));
    }
}
