package org.portraitgen.field.internal;

/**
 * Where a render or a training step spends its time: the code calls {@link #lap} at the end of each stage. The
 * default does nothing (no clock reads); the benchmark passes one that records wall and CPU time per stage.
 */
@FunctionalInterface
public interface StageClock {
    StageClock NONE = stage -> {
    };

    /** The stage named {@code stage} ended now (it began at the previous lap, or when the clock was started). */
    void lap(String stage);
}
