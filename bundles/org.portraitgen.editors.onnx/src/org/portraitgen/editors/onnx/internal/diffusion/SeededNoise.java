package org.portraitgen.editors.onnx.internal.diffusion;

import java.util.Random;

/**
 * The only randomness of the pipelines: standard normal values from {@link Random} (whose algorithm the JDK
 * specifies, so a seed gives the same noise on every machine and Java version) in row-major order.
 */
public final class SeededNoise {

    private SeededNoise() {
    }

    public static Tensor gaussian(long seed, long... shape) {
        Tensor t = Tensor.zeros(shape);
        Random r = new Random(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return t;
    }
}
