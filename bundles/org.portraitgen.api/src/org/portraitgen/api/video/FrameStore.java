package org.portraitgen.api.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;
import org.portraitgen.api.image.FloatImage;

/**
 * Frames on disk: a folder with {@code frames.json} and one lossless PNG per frame ({@code 000000.png}, ...). It is
 * the value of {@code frames} and {@code masks} ports, readable from any process that sees the folder.
 */
@ProviderType
public interface FrameStore {

    Path directory();

    FrameStoreInfo info();

    BufferedImage readImage(int index) throws IOException;

    /** The frame as planes in [0, 1] (sRGB values, not linearised). */
    FloatImage read(int index) throws IOException;
}
