package org.portraitgen.api.video;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;

import org.osgi.annotation.versioning.ProviderType;

/** Decoding and encoding of video files through FFmpeg, and access to frame stores. */
@ProviderType
public interface VideoIO {

    /** Facts about a video file without decoding it; fails with a message naming the file when it is unusable. */
    VideoProbe probe(Path video) throws IOException;

    /**
     * Decodes into a new frame store folder (which must not exist yet; it appears whole or not at all).
     *
     * @param progress receives the fraction done
     */
    FrameStore decode(Path video, Path storeDir, DecodeOptions options, DoubleConsumer progress)
            throws IOException;

    FrameStore open(Path storeDir) throws IOException;

    /** Creates a frame store from images the caller supplies in order; used by nodes that produce frames. */
    FrameStoreWriter create(Path storeDir, int width, int height, int channels, double frameRate) throws IOException;

    /** Encodes a frame store to H.264 MP4 (with the store's audio when it has some), written atomically. */
    void encodeMp4(FrameStore frames, Path output, EncodeOptions options, DoubleConsumer progress)
            throws IOException;

    /** Writes every frame as a numbered PNG into a new folder, atomically. */
    void encodePngSequence(FrameStore frames, Path outputDir, DoubleConsumer progress) throws IOException;
}
