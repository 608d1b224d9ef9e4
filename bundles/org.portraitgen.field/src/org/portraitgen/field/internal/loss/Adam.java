package org.portraitgen.field.internal.loss;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam with one learning rate per parameter group (PortraitGen's: position 1.6e-5, features 1e-3, renderer 3e-3,
 * opacity 0.05, scale 5e-3, rotation 1e-3). Deterministic: plain loops, no randomness. Moments are kept in double
 * for float and double parameters alike, so the state can be checkpointed exactly.
 */
public final class Adam {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    /** 3DGS uses 1e-15 for the Gaussians; PyTorch's 1e-8 for the renderer. The group picks. */
    public static final double EPS_GAUSSIANS = 1e-15;
    public static final double EPS_RENDERER = 1e-8;

    /** One group: either double or float parameters, with their gradients of the same type. */
    public static final class Group {
        public final String name;
        public final double lr;
        public final double eps;
        final double[] dParams;
        final double[] dGrads;
        final float[] fParams;
        final float[] fGrads;
        public final double[] m;
        public final double[] v;

        private Group(String name, double lr, double eps, double[] dp, double[] dg, float[] fp, float[] fg, int n) {
            this.name = name;
            this.lr = lr;
            this.eps = eps;
            dParams = dp;
            dGrads = dg;
            fParams = fp;
            fGrads = fg;
            m = new double[n];
            v = new double[n];
        }
    }

    private final List<Group> groups = new ArrayList<>();
    private long step;

    public Group add(String name, double lr, double[] params, double[] grads) {
        check(params.length, grads.length, name);
        Group g = new Group(name, lr, EPS_GAUSSIANS, params, grads, null, null, params.length);
        groups.add(g);
        return g;
    }

    public Group add(String name, double lr, float[] params, float[] grads) {
        check(params.length, grads.length, name);
        Group g = new Group(name, lr, EPS_RENDERER, null, null, params, grads, params.length);
        groups.add(g);
        return g;
    }

    private static void check(int p, int g, String name) {
        if (p != g) {
            throw new IllegalArgumentException("group " + name + ": " + p + " parameters but " + g + " gradients");
        }
    }

    public List<Group> groups() {
        return List.copyOf(groups);
    }

    public long step() {
        return step;
    }

    public void setStep(long step) {
        this.step = step;
    }

    /** 1 - beta1^step, Adam's first-moment bias correction at the current step. */
    public double biasCorrection1() {
        return 1 - Math.pow(BETA1, step);
    }

    /** 1 - beta2^step. */
    public double biasCorrection2() {
        return 1 - Math.pow(BETA2, step);
    }

    /** The name of the first group with a NaN or infinite gradient, or null when all are finite. */
    public String firstNonFiniteGradient() {
        for (Group g : groups) {
            for (int i = 0; i < g.m.length; i++) {
                double grad = g.dGrads != null ? g.dGrads[i] : g.fGrads[i];
                if (!Double.isFinite(grad)) {
                    return g.name;
                }
            }
        }
        return null;
    }

    /** One update of every group from its current gradients. */
    public void update() {
        update(g -> true);
    }

    /**
     * One step: counts it and updates the groups {@code which} accepts (another device updates the others with
     * the same step count, see {@link #biasCorrection1()}).
     */
    public void update(java.util.function.Predicate<Group> which) {
        step++;
        double c1 = biasCorrection1();
        double c2 = biasCorrection2();
        for (Group g : groups) {
            if (!which.test(g)) {
                continue;
            }
            int n = g.m.length;
            for (int i = 0; i < n; i++) {
                double grad = g.dGrads != null ? g.dGrads[i] : g.fGrads[i];
                g.m[i] = BETA1 * g.m[i] + (1 - BETA1) * grad;
                g.v[i] = BETA2 * g.v[i] + (1 - BETA2) * grad * grad;
                double delta = g.lr * (g.m[i] / c1) / (Math.sqrt(g.v[i] / c2) + g.eps);
                if (g.dParams != null) {
                    g.dParams[i] -= delta;
                } else {
                    g.fParams[i] -= (float) delta;
                }
            }
        }
    }
}
