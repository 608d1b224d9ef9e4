package org.portraitgen.field.gl.internal.bench;

import static org.lwjgl.opengl.GL43C.*;

import java.util.Arrays;

/**
 * GPU-side times of consecutive stages from GL_TIMESTAMP queries written between them: unlike wall clock around
 * glFinish, no stage pays for the previous one's drain. Time the host spends inside a stage (a read-back, then the
 * next submissions) still shows as GPU idle within that stage's interval.
 */
final class StageTimer implements AutoCloseable {
    private final int[] queries;
    private final double[][] samples;
    private int run;
    private int mark;

    StageTimer(int stages, int runs) {
        queries = new int[stages + 1];
        glGenQueries(queries);
        samples = new double[stages][runs];
    }

    /** Call before the first stage and after each stage of one run. */
    void mark() {
        glQueryCounter(queries[mark++], GL_TIMESTAMP);
        if (mark == queries.length) {
            long[] t = new long[queries.length];
            for (int i = 0; i < queries.length; i++) {
                t[i] = glGetQueryObjectui64(queries[i], GL_QUERY_RESULT); // waits for the GPU
            }
            for (int s = 0; s < samples.length; s++) {
                samples[s][run] = (t[s + 1] - t[s]) / 1e6;
            }
            run++;
            mark = 0;
        }
    }

    /** Median ms of each stage over the runs recorded. */
    double[] medians() {
        double[] m = new double[samples.length];
        for (int s = 0; s < samples.length; s++) {
            double[] v = Arrays.copyOf(samples[s], run);
            Arrays.sort(v);
            m[s] = v.length == 0 ? Double.NaN : v[v.length / 2];
        }
        return m;
    }

    @Override
    public void close() {
        glDeleteQueries(queries);
    }
}
