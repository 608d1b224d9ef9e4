package org.portraitgen.video.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.core.Images;

/** A finished frame store folder; immutable once published, so it is safe to share between threads. */
final class FrameStoreImpl implements FrameStore {

    private final Path directory;
    private final FrameStoreInfo info;

    private FrameStoreImpl(Path directory, FrameStoreInfo info) {
        this.directory = directory;
        this.info = info;
    }

    static FrameStoreImpl open(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IOException("Frame store " + dir + " does not exist or is not a folder");
        }
        return new FrameStoreImpl(dir, FramesJson.read(dir));
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public FrameStoreInfo info() {
        return info;
    }

    /** The audio track kept beside the frames, if the store has one and the file is present. */
    Optional<Path> audio() {
        if (info.audioFile() == null) {
            return Optional.empty();
        }
        Path p = directory.resolve(info.audioFile());
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    Path framePath(int index) {
        if (index < 0 || index >= info.frameCount()) {
            throw new IndexOutOfBoundsException("frame " + index + " of a store with " + info.frameCount()
                    + " frames (" + directory + ")");
        }
        return directory.resolve(Pngs.frameName(index));
    }

    @Override
    public BufferedImage readImage(int index) throws IOException {
        BufferedImage image = Pngs.read(framePath(index));
        if (image.getWidth() != info.width() || image.getHeight() != info.height()) {
            throw new IOException("Frame " + framePath(index) + " is " + image.getWidth() + "x" + image.getHeight()
                    + " but the store says " + info.width() + "x" + info.height());
        }
        return image;
    }

    @Override
    public FloatImage read(int index) throws IOException {
        return Images.toFloat(readImage(index), info.channels());
    }

    @Override
    public String toString() {
        return "FrameStore[" + directory + ", " + info.frameCount() + " frames " + info.width() + "x"
                + info.height() + "]";
    }
}
