package org.portraitgen.field.gl.internal.raster;

/**
 * The Gaussians' parameters as the GPU takes them: float32, structure of arrays, the CPU reference's layout
 * (means [N, 3], logScales [N, 3], quats [N, 4] as w, x, y, z, opacityLogits [N], features [N, C]).
 */
public record GaussianParams(int count, int channels, float[] means, float[] logScales, float[] quats,
        float[] opacityLogits, float[] features) {

    public GaussianParams {
        if (means.length != 3 * count || logScales.length != 3 * count || quats.length != 4 * count
                || opacityLogits.length != count || features.length != count * channels) {
            throw new IllegalArgumentException("Gaussian parameter arrays do not match " + count + " x " + channels);
        }
    }

    public static GaussianParams of(int count, int channels, double[] means, double[] logScales, double[] quats,
            double[] opacityLogits, double[] features) {
        return new GaussianParams(count, channels, floats(means), floats(logScales), floats(quats),
                floats(opacityLogits), floats(features));
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
