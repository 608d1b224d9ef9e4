package org.portraitgen.api.video;

import java.awt.image.BufferedImage;
import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;
import org.portraitgen.api.image.FloatImage;

/** Appends frames to a frame store being built; {@link #finish} publishes it. */
@ProviderType
public interface FrameStoreWriter extends AutoCloseable {

    void append(BufferedImage frame, long timestampUs) throws IOException;

    void append(FloatImage frame, long timestampUs) throws IOException;

    /** Copies the audio track and source name of another store, for filters that keep the sound. */
    void inheritAudio(FrameStore source) throws IOException;

    FrameStore finish() throws IOException;

    /** Abandons an unfinished store and removes its files. */
    @Override
    void close() throws IOException;
}
