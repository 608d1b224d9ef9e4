package org.portraitgen.edit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * When the iterative dataset update edits what (PortraitGen after Instruct-NeRF2NeRF): every {@code keyEvery}-th
 * frame is a key frame; all key frames are edited at step 0 at full strength, then re-edited from the current renders
 * every {@code reeditEvery} steps with a noise level (an editor's strength) that falls linearly from
 * {@code strengthStart} to {@code strengthEnd} over the run, so late re-edits only refine what the field already
 * agrees on.
 */
public record UpdateSchedule(int frameCount, int keyEvery, int steps, int reeditEvery, double strengthStart,
        double strengthEnd) {

    public UpdateSchedule {
        if (frameCount < 1 || keyEvery < 1 || steps < 1 || reeditEvery < 1) {
            throw new IllegalArgumentException("frame count, key frame interval, steps and re-edit interval must be"
                    + " >= 1: " + frameCount + ", " + keyEvery + ", " + steps + ", " + reeditEvery);
        }
        if (!(strengthStart >= 0 && strengthStart <= 1 && strengthEnd >= 0 && strengthEnd <= strengthStart)) {
            throw new IllegalArgumentException("noise levels must satisfy 0 <= end <= start <= 1: start "
                    + strengthStart + ", end " + strengthEnd);
        }
    }

    /** Frames 0, k, 2k, ... (frame 0 always). */
    public List<Integer> keyFrames() {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < frameCount; i += keyEvery) {
            keys.add(i);
        }
        return keys;
    }

    /** Whether the key frames are edited (step 0) or re-edited before training step {@code step}. */
    public boolean editsAt(long step) {
        return step == 0 || (step > 0 && step < steps && step % reeditEvery == 0);
    }

    /** The last step at or before {@code step} at which the key frames were edited. */
    public long lastEditAt(long step) {
        long s = Math.min(step, steps - 1);
        return s <= 0 ? 0 : s - s % reeditEvery;
    }

    /** Edit rounds up to and including {@code step}: 0 for the first edit. */
    public int round(long step) {
        return (int) (lastEditAt(step) / reeditEvery);
    }

    /**
     * The strength (noise level) of the edit at {@code step}: 1 for the first edit of the renders, then falling
     * linearly from {@code strengthStart} to {@code strengthEnd}.
     */
    public double strength(long step) {
        if (step == 0) {
            return 1.0;
        }
        double t = Math.min(1.0, (double) step / steps);
        return strengthStart + (strengthEnd - strengthStart) * t;
    }
}
