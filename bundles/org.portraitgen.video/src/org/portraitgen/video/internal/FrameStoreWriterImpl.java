package org.portraitgen.video.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.core.Images;

/**
 * Builds a frame store in a hidden sibling folder and renames it onto the target in {@link #finish}; {@link #close}
 * without finish deletes everything written. Not thread-safe: one producer appends in order.
 */
final class FrameStoreWriterImpl implements FrameStoreWriter {

    private final Path target;
    private final Path temp;
    private final int width;
    private final int height;
    private final int channels;
    private final double frameRate;
    private final List<Long> timestamps = new ArrayList<>();
    private String audioFile;
    private String source;
    private boolean finished;

    private FrameStoreWriterImpl(Path target, Path temp, int width, int height, int channels, double frameRate) {
        this.target = target;
        this.temp = temp;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.frameRate = frameRate;
    }

    /** Starts a store; {@code target} must be absent or an empty folder (a node's staging folder). */
    static FrameStoreWriterImpl create(Path target, int width, int height, int channels, double frameRate)
            throws IOException {
        if (width < 1 || height < 1 || (channels != 1 && channels != 3) || !(frameRate > 0)) {
            throw new IllegalArgumentException("frame store needs a positive size, 1 or 3 channels and a frame rate"
                    + " above 0, got " + width + "x" + height + "x" + channels + " at " + frameRate + " fps");
        }
        Path abs = target.toAbsolutePath().normalize();
        AtomicFiles.requireAbsentOrEmptyDir(abs);
        Path temp = AtomicFiles.tempSibling(abs);
        Files.createDirectory(temp);
        return new FrameStoreWriterImpl(abs, temp, width, height, channels, frameRate);
    }

    int frameCount() {
        return timestamps.size();
    }

    void setSource(String source) {
        this.source = source;
    }

    /** The path to write an audio track to; it becomes the store's audio once {@link #finish} succeeds. */
    Path stageAudio(String fileName) {
        audioFile = fileName;
        return temp.resolve(fileName);
    }

    /** Forgets a staged audio track, e.g. when extraction found no samples in the kept range. */
    void dropAudio() throws IOException {
        if (audioFile != null) {
            Files.deleteIfExists(temp.resolve(audioFile));
            audioFile = null;
        }
    }

    @Override
    public void append(BufferedImage frame, long timestampUs) throws IOException {
        requireOpen();
        if (frame.getWidth() != width || frame.getHeight() != height) {
            throw new IllegalArgumentException("frame " + timestamps.size() + " is " + frame.getWidth() + "x"
                    + frame.getHeight() + ", the store " + target + " is " + width + "x" + height);
        }
        if (!timestamps.isEmpty() && timestampUs <= timestamps.get(timestamps.size() - 1)) {
            throw new IllegalArgumentException("frame " + timestamps.size() + " has timestamp " + timestampUs
                    + " us, not after the previous one (" + timestamps.get(timestamps.size() - 1) + " us)");
        }
        Pngs.write(normalised(frame), temp.resolve(Pngs.frameName(timestamps.size())));
        timestamps.add(timestampUs);
    }

    @Override
    public void append(FloatImage frame, long timestampUs) throws IOException {
        if (frame.channels() != channels) {
            throw new IllegalArgumentException("frame " + timestamps.size() + " has " + frame.channels()
                    + " channels, the store " + target + " has " + channels);
        }
        append(Images.toBufferedImage(frame), timestampUs);
    }

    @Override
    public void inheritAudio(FrameStore from) throws IOException {
        requireOpen();
        dropAudio();
        FrameStoreInfo info = from.info();
        source = info.source();
        if (info.audioFile() != null) {
            Path audio = from.directory().resolve(info.audioFile());
            if (!Files.isRegularFile(audio)) {
                throw new IOException("Frame store " + from.directory() + " lists audio " + info.audioFile()
                        + " but the file is missing");
            }
            Files.copy(audio, stageAudio(info.audioFile()));
        }
    }

    @Override
    public FrameStore finish() throws IOException {
        requireOpen();
        if (timestamps.isEmpty()) {
            throw new IOException("Frame store " + target + " would have no frames");
        }
        FramesJson.write(new FrameStoreInfo(width, height, channels, frameRate, timestamps.size(), timestamps,
                audioFile, source), temp);
        AtomicFiles.publish(temp, target);
        finished = true;
        return FrameStoreImpl.open(target);
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            AtomicFiles.deleteRecursively(temp);
        }
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("frame store writer for " + target + " is already finished or closed");
        }
    }

    /** PNGs are 8-bit RGB or grey: other image types (alpha, indexed) are converted so the file matches the store. */
    private BufferedImage normalised(BufferedImage frame) {
        int wanted = channels == 3 ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_BYTE_GRAY;
        return frame.getType() == wanted ? frame : Images.toBufferedImage(Images.toFloat(frame, channels));
    }
}
