package org.portraitgen.tracking.internal.track;

import java.io.IOException;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.video.FrameStore;

/** A clip read from frame stores; masks must match the frames in size and count. */
public final class FrameStoreClip implements Clip {

    private final FrameStore frames;
    private final FrameStore masks;

    public FrameStoreClip(FrameStore frames, FrameStore masks) throws InvalidInputException {
        this.frames = frames;
        this.masks = masks;
        if (frames.info().channels() != 3) {
            throw new InvalidInputException("frames in " + frames.directory() + " have " + frames.info().channels()
                    + " channels; tracking needs RGB frames");
        }
        if (masks != null && (masks.info().frameCount() != frames.info().frameCount()
                || masks.info().width() != frames.info().width() || masks.info().height() != frames.info().height())) {
            throw new InvalidInputException("masks (" + masks.info().frameCount() + " x " + masks.info().width() + "x"
                    + masks.info().height() + ") do not match the frames (" + frames.info().frameCount() + " x "
                    + frames.info().width() + "x" + frames.info().height() + ")");
        }
    }

    @Override
    public int frameCount() {
        return frames.info().frameCount();
    }

    @Override
    public double frameRate() {
        double r = frames.info().frameRate();
        return r > 0 ? r : 25;
    }

    @Override
    public FloatImage frame(int index) throws IOException {
        return frames.read(index);
    }

    @Override
    public FloatImage mask(int index) throws IOException {
        if (masks == null) {
            return null;
        }
        FloatImage m = masks.read(index);
        if (m.channels() == 1) {
            return m;
        }
        float[] first = new float[m.planeSize()];
        System.arraycopy(m.data(), 0, first, 0, first.length);
        return new FloatImage(m.width(), m.height(), 1, first);
    }
}
