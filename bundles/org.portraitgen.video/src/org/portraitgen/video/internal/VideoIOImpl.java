package org.portraitgen.video.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.DoubleConsumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.api.video.VideoProbe;

/**
 * {@link VideoIO} through FFmpeg (JavaCV). Every output appears whole or not at all (see {@link AtomicFiles}).
 * Frame-store targets must be absent or an empty folder, so a node may pass its staging folder directly.
 *
 * <p>Configuration (component properties, e.g. through Configuration Admin with PID
 * {@code org.portraitgen.video.internal.VideoIOImpl}): {@value VideoLimits#MAX_SIDE_PROPERTY} and
 * {@value VideoLimits#MAX_PIXELS_PROPERTY} bound the frame size that is decoded, {@value VideoLimits#MAX_FRAMES_PROPERTY}
 * the number of frames one decode keeps.
 */
@Component(service = VideoIO.class, property = {
        VideoLimits.MAX_SIDE_PROPERTY + ":Integer=8192",
        VideoLimits.MAX_PIXELS_PROPERTY + ":Long=40000000",
        VideoLimits.MAX_FRAMES_PROPERTY + ":Integer=100000" })
public class VideoIOImpl implements VideoIO {

    private volatile VideoLimits limits;

    /** Used by SCR; the limits then come from {@link #activate}. */
    public VideoIOImpl() {
        this(VideoLimits.DEFAULT);
    }

    /** For direct use (tests, tools) with explicit limits. */
    public VideoIOImpl(VideoLimits limits) {
        this.limits = limits;
    }

    @Activate
    @Modified
    void activate(Map<String, Object> properties) {
        limits = VideoLimits.from(properties);
        // FFmpeg prints a stream dump per opened file at INFO level; failures reach users through our exceptions
        av_log_set_level(AV_LOG_ERROR);
    }

    public VideoLimits limits() {
        return limits;
    }

    @Override
    public VideoProbe probe(Path video) throws IOException {
        return new Prober(limits).probe(video);
    }

    @Override
    public FrameStore decode(Path video, Path storeDir, DecodeOptions options, DoubleConsumer progress)
            throws IOException {
        VideoLimits l = limits;
        VideoProbe probe = new Prober(l).probe(video);
        Path file = Path.of(probe.file());
        FrameGeometry geometry = FrameGeometry.of(probe.width(), probe.height(), options);
        l.check(file, geometry.width(), geometry.height(), "requested output size");
        int keptAtMost = options.maxFrames() > 0 ? options.maxFrames() : Integer.MAX_VALUE;
        if (probe.frameCount() > 0 && Math.min(keptAtMost, (probe.frameCount() - options.startFrame()
                + options.step() - 1) / options.step()) > l.maxFrames()) {
            l.checkFrames(file, l.maxFrames()); // refused before any frame is decoded; the loop checks again
        }
        double frameRate = probe.frameRate() / options.step();
        try (FrameStoreWriterImpl writer = FrameStoreWriterImpl.create(storeDir, geometry.width(),
                geometry.height(), 3, frameRate)) {
            writer.setSource(file.toString());
            FrameDecoder.Span span = new FrameDecoder(file, probe, options, geometry, l).decodeInto(writer, progress);
            if (options.keepAudio() && probe.hasAudio()
                    && AudioExtractor.extract(file, writer.stageAudio("audio.wav"), span) == 0) {
                writer.dropAudio(); // the kept range is silent: say "no audio" rather than keep an empty track
            }
            return writer.finish();
        }
    }

    @Override
    public FrameStore open(Path storeDir) throws IOException {
        return FrameStoreImpl.open(storeDir);
    }

    @Override
    public FrameStoreWriter create(Path storeDir, int width, int height, int channels, double frameRate)
            throws IOException {
        return FrameStoreWriterImpl.create(storeDir, width, height, channels, frameRate);
    }

    @Override
    public void encodeMp4(FrameStore frames, Path output, EncodeOptions options, DoubleConsumer progress)
            throws IOException {
        Mp4Encoder.encode(own(frames), output, options, progress);
    }

    @Override
    public void encodePngSequence(FrameStore frames, Path outputDir, DoubleConsumer progress) throws IOException {
        PngSequenceWriter.write(own(frames), outputDir, progress);
    }

    /** Stores from elsewhere (another implementation, a proxy) are reopened from their folder. */
    private static FrameStoreImpl own(FrameStore frames) throws IOException {
        return frames instanceof FrameStoreImpl f ? f : FrameStoreImpl.open(frames.directory());
    }
}
