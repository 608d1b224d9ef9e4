package org.portraitgen.field.tests;

/** The convolution written directly from its definition, in double precision: the oracle for Conv2d. */
final class NaiveConv {
    private NaiveConv() {
    }

    static double[] forward(double[] in, int cin, int cout, int k, double[] w, double[] b, int h, int wd) {
        int p = k / 2;
        double[] out = new double[cout * h * wd];
        for (int co = 0; co < cout; co++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    double s = b[co];
                    for (int ci = 0; ci < cin; ci++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = y + ky - p;
                                int ix = x + kx - p;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                    s += w[((co * cin + ci) * k + ky) * k + kx] * in[(ci * h + iy) * wd + ix];
                                }
                            }
                        }
                    }
                    out[(co * h + y) * wd + x] = s;
                }
            }
        }
        return out;
    }

    /** The whole neural renderer in double: layers given as weights/biases from a float network. */
    static double[] network(double[] features, int h, int w, double[][] params, int[] channels) {
        double[] x = features;
        int layers = params.length / 2;
        for (int i = 0; i < layers; i++) {
            int k = i == layers - 1 ? 1 : 3;
            x = forward(x, channels[i], channels[i + 1], k, params[2 * i], params[2 * i + 1], h, w);
            for (int j = 0; j < x.length; j++) {
                x[j] = i == layers - 1 ? 1 / (1 + Math.exp(-x[j])) : Math.max(0, x[j]);
            }
        }
        return x;
    }
}
