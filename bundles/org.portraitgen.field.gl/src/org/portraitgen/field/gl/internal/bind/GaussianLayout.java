package org.portraitgen.field.gl.internal.bind;

import org.portraitgen.field.internal.raster.Gaussians;

/**
 * The Gaussians' local parameters as one flat float buffer on the GPU, in the optimiser's group order
 * ({@code Trainer.addGroups}: offsets [N, 3], log-scales [N, 3], quaternions [N, 4], opacity logits [N], features
 * [N, C]), so that the gradients, Adam's moments and the parameters share one layout and a group is a range.
 */
public final class GaussianLayout {
    /** Number of groups, in {@code Trainer.addGroups} order. */
    public static final int GROUPS = 5;

    public final int count;
    public final int channels;

    public GaussianLayout(int count, int channels) {
        this.count = count;
        this.channels = channels;
    }

    /** First float of group {@code g}. */
    public int offset(int g) {
        return switch (g) {
            case 0 -> 0;
            case 1 -> 3 * count;
            case 2 -> 6 * count;
            case 3 -> 10 * count;
            case 4 -> 11 * count;
            default -> throw new IllegalArgumentException("no Gaussian parameter group " + g);
        };
    }

    /** Floats of group {@code g}. */
    public int size(int g) {
        return g == GROUPS - 1 ? channels * count : offset(g + 1) - offset(g);
    }

    public int floats() {
        return (11 + channels) * count;
    }

    private double[][] groups(Gaussians g) {
        if (g.count != count || g.channels != channels) {
            throw new IllegalArgumentException(g.count + " x " + g.channels + " Gaussians, the layout is " + count
                    + " x " + channels);
        }
        return new double[][] {g.means, g.logScales, g.quats, g.opacityLogits, g.features};
    }

    /** The parameters of {@code g} (or arrays of its groups' shapes, such as Adam's moments) as float32. */
    public float[] flatten(double[][] groups) {
        float[] flat = new float[floats()];
        for (int k = 0; k < GROUPS; k++) {
            double[] src = groups[k];
            if (src.length != size(k)) {
                throw new IllegalArgumentException("group " + k + " has " + src.length + " values, the layout "
                        + size(k));
            }
            int o = offset(k);
            for (int i = 0; i < src.length; i++) {
                flat[o + i] = (float) src[i];
            }
        }
        return flat;
    }

    public float[] flatten(Gaussians g) {
        return flatten(groups(g));
    }

    /** Writes a flat buffer's values back into arrays of the groups' shapes. */
    public void unflatten(float[] flat, double[][] groups) {
        for (int k = 0; k < GROUPS; k++) {
            double[] dst = groups[k];
            int o = offset(k);
            for (int i = 0; i < dst.length; i++) {
                dst[i] = flat[o + i];
            }
        }
    }

    public void unflatten(float[] flat, Gaussians into) {
        unflatten(flat, groups(into));
    }
}
