package org.portraitgen.video.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.VideoProbe;

/**
 * Decodes the selected frames of a probed video into a frame store writer. Frames are counted in decode order from
 * the first one; timestamps are kept relative to the first decoded frame, so a trimmed store still says where in the
 * source its frames were.
 */
final class FrameDecoder {

    /** What was kept, on the source's clock (absolute stream microseconds), for cutting the audio to match. */
    record Span(long originUs, long firstUs, long endUs, boolean cutAtEnd) {
    }

    private final Path file;
    private final VideoProbe probe;
    private final DecodeOptions options;
    private final FrameGeometry geometry;
    private final VideoLimits limits;

    FrameDecoder(Path file, VideoProbe probe, DecodeOptions options, FrameGeometry geometry, VideoLimits limits) {
        this.limits = limits;
        this.file = file;
        this.probe = probe;
        this.options = options;
        this.geometry = geometry;
    }

    /**
     * Appends the kept frames; {@code progress} gets the fraction done and may throw (e.g. CancellationException) to
     * stop, in which case the caller's writer cleans up.
     */
    Span decodeInto(FrameStoreWriterImpl writer, DoubleConsumer progress) throws IOException {
        int expected = expectedFrames();
        long frameUs = Math.round(1e6 / probe.frameRate());
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            // COLOR mode converts to BGR24, the layout BgrFrames copies (setPixelFormat would also pass a
            // "pixel_format" option to the demuxer, which rejects it with a log line per file)
            grabber.setImageMode(FrameGrabber.ImageMode.COLOR);
            grabber.start();
            long origin = Long.MIN_VALUE;
            long first = 0;
            long last = 0;
            int index = 0;
            while (options.maxFrames() == 0 || writer.frameCount() < options.maxFrames()) {
                boolean keep = index >= options.startFrame() && (index - options.startFrame()) % options.step() == 0;
                // skipped frames are decoded (the codec needs them) but not converted to RGB
                Frame frame = grabber.grabFrame(false, true, keep, false);
                if (frame == null) {
                    break;
                }
                if (frame.image == null) {
                    continue;
                }
                if (origin == Long.MIN_VALUE) {
                    origin = frame.timestamp;
                }
                if (keep) {
                    limits.checkFrames(file, writer.frameCount());
                    BufferedImage image = BgrFrames.toImage(frame);
                    if (writer.frameCount() == 0) {
                        first = frame.timestamp;
                    }
                    writer.append(Resampler.apply(image, geometry), frame.timestamp - origin);
                    last = frame.timestamp;
                    progress.accept(Math.min(1.0, writer.frameCount() / (double) expected));
                }
                index++;
            }
            grabber.stop();
            if (writer.frameCount() == 0) {
                throw new VideoFileException(VideoFileException.Problem.CORRUPT, file, index == 0
                        ? "no frame could be decoded" : "it has " + index + " frames; start frame "
                                + options.startFrame() + " is past the end");
            }
            boolean cutAtEnd = options.maxFrames() > 0 && writer.frameCount() == options.maxFrames();
            return new Span(origin, first, last + frameUs * options.step(), cutAtEnd);
        } catch (FrameGrabber.Exception e) {
            throw new VideoFileException(VideoFileException.Problem.CORRUPT, file, "decoding failed: "
                    + e.getMessage(), e);
        }
    }

    private int expectedFrames() {
        int total = Math.max(1, probe.frameCount() - options.startFrame());
        int kept = (total + options.step() - 1) / options.step();
        return Math.max(1, options.maxFrames() > 0 ? Math.min(options.maxFrames(), kept) : kept);
    }
}
