package org.portraitgen.tracking.internal.track;

import java.io.IOException;

import org.portraitgen.api.image.FloatImage;

/** Frames (and optionally person masks) of one clip, read in order. */
public interface Clip {

    int frameCount();

    double frameRate();

    FloatImage frame(int index) throws IOException;

    /** The person mask of a frame (1 channel), or null when the clip has no masks. */
    FloatImage mask(int index) throws IOException;
}
