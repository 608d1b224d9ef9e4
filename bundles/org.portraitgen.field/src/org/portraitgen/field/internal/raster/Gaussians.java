package org.portraitgen.field.internal.raster;

import java.util.Arrays;

/**
 * Parameters of N anisotropic 3D Gaussians as flat arrays (structure of arrays), in double precision so that the
 * CPU reference can be checked against finite differences. The same class holds gradients ({@code v_} values).
 * <ul>
 * <li>means: [N, 3] world position</li>
 * <li>logScales: [N, 3] log of the standard deviations along the Gaussian's local axes</li>
 * <li>quats: [N, 4] rotation as w, x, y, z, not necessarily normalised (normalised where used)</li>
 * <li>opacityLogits: [N] opacity = sigmoid(logit)</li>
 * <li>features: [N, C] the neural texture features composited into the feature image</li>
 * </ul>
 */
public final class Gaussians {
    public final int count;
    public final int channels;
    public final double[] means;
    public final double[] logScales;
    public final double[] quats;
    public final double[] opacityLogits;
    public final double[] features;

    public Gaussians(int count, int channels) {
        if (count < 0 || channels < 1) {
            throw new IllegalArgumentException("bad Gaussian set size: " + count + " x " + channels);
        }
        this.count = count;
        this.channels = channels;
        means = new double[3 * count];
        logScales = new double[3 * count];
        quats = new double[4 * count];
        opacityLogits = new double[count];
        features = new double[Math.multiplyExact(count, channels)];
    }

    /** The parameter groups in a fixed order, for optimisers, gradient checks and checkpoints. */
    public double[][] groups() {
        return new double[][] {means, logScales, quats, opacityLogits, features};
    }

    public static final String[] GROUP_NAMES = {"means", "logScales", "quats", "opacityLogits", "features"};

    public void zero() {
        for (double[] g : groups()) {
            Arrays.fill(g, 0);
        }
    }

    public Gaussians copy() {
        Gaussians c = new Gaussians(count, channels);
        double[][] src = groups();
        double[][] dst = c.groups();
        for (int i = 0; i < src.length; i++) {
            System.arraycopy(src[i], 0, dst[i], 0, src[i].length);
        }
        return c;
    }

    public void setIdentityRotations() {
        for (int i = 0; i < count; i++) {
            quats[4 * i] = 1;
        }
    }
}
