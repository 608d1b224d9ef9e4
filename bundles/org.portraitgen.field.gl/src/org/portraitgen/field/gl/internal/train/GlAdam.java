package org.portraitgen.field.gl.internal.train;

import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.internal.loss.Adam;

/**
 * The CPU's {@code loss.Adam} on the GPU for one group at a time, a range of flat parameter, gradient and moment
 * buffers (shaders/cnn/adam.comp), in float32; the host counts the steps and passes the bias corrections. Also
 * the finite check that runs before it: one bit per group in one int, read once per step
 * (shaders/train/finite_check.comp). Methods run on the GL thread.
 */
public final class GlAdam implements AutoCloseable {
    private static final int GROUP = 256;

    private final ShaderLibrary shaders;
    private final GlBuffer flags = new GlBuffer("non-finite gradient flags");

    public GlAdam(ShaderLibrary shaders) {
        this.shaders = shaders;
        adamProgram();
        checkProgram();
    }

    private int adamProgram() {
        return shaders.program("cnn/adam.comp", Map.of());
    }

    private int guardedAdamProgram() {
        return shaders.program("cnn/adam.comp", Map.of("GUARDED", 1));
    }


    private int checkProgram() {
        return shaders.program("train/finite_check.comp", Map.of());
    }

    /**
     * One Adam update of {@code count} values from {@code offset}: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g²,
     * p -= lr (m / c1) / (sqrt(v / c2) + eps), with Adam's betas; {@code c1}, {@code c2} are the bias corrections
     * of this step ({@link Adam#biasCorrection1()}, {@link Adam#biasCorrection2()}).
     */
    public void update(GlBuffer params, GlBuffer grads, GlBuffer m, GlBuffer v, int offset, int count, double lr,
            double eps, double c1, double c2) {
        update(adamProgram(), params, grads, m, v, offset, count, lr, eps, c1, c2);
    }

    /**
     * {@link #update} that changes nothing when any flag is set (read on the GPU when it runs): the step's checks
     * and its update are queued together, and the host reads the flags once, after both.
     */
    public void updateUnlessFlagged(GlBuffer params, GlBuffer grads, GlBuffer m, GlBuffer v, int offset, int count,
            double lr, double eps, double c1, double c2) {
        flags.bind(4);
        update(guardedAdamProgram(), params, grads, m, v, offset, count, lr, eps, c1, c2);
    }

    private void update(int program, GlBuffer params, GlBuffer grads, GlBuffer m, GlBuffer v, int offset,
            int count, double lr, double eps, double c1, double c2) {
        params.bind(0);
        grads.bind(1);
        m.bind(2);
        v.bind(3);
        Dispatch.uniform(program, 0, count);
        Dispatch.uniform(program, 1, (float) lr);
        Dispatch.uniform(program, 2, (float) Adam.BETA1);
        Dispatch.uniform(program, 3, (float) Adam.BETA2);
        Dispatch.uniform(program, 4, (float) c1);
        Dispatch.uniform(program, 5, (float) c2);
        Dispatch.uniform(program, 6, (float) eps);
        Dispatch.uniform(program, 7, offset);
        Dispatch.uniform(program, 8, (float) (1 - Adam.BETA1));
        Dispatch.uniform(program, 9, (float) (1 - Adam.BETA2));
        Dispatch.run(program, Dispatch.groups(count, GROUP), 1);
    }

    /** Clears the flags before a step's checks. */
    public void clearFlags() {
        flags.upload(new int[] {0});
    }

    /** Sets flag {@code bit} (0..31) when any of {@code count} values from {@code offset} is NaN or infinite. */
    public void flagNonFinite(GlBuffer values, int offset, int count, int bit) {
        if (bit < 0 || bit > 31) {
            throw new IllegalArgumentException("flag bit " + bit + " is not in 0..31");
        }
        int program = checkProgram();
        values.bind(0);
        flags.bind(1);
        Dispatch.uniform(program, 0, offset);
        Dispatch.uniform(program, 1, count);
        Dispatch.uniform(program, 2, bit);
        Dispatch.run(program, Dispatch.groups(count, GROUP), 1);
    }

    /** The flags' buffer (one int): more checks set bits in it (GpuChecks), a copy reads it without a stall. */
    public GlBuffer flags() {
        return flags;
    }

    /** The flags set since {@link #clearFlags()} (one int read back). */
    public int readFlags() {
        return flags.readInts(0, 1)[0];
    }

    @Override
    public void close() {
        flags.close();
    }
}
