package org.portraitgen.video.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Path;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes a video's sound into a 16-bit WAV that starts exactly at the first kept frame and, when the frames were
 * cut short, ends with the last one. A second pass over the file: audio-only grabbing skips video decoding, so it
 * costs little next to the frames.
 */
final class AudioExtractor {

    private AudioExtractor() {
    }

    /** @return the sample frames written; 0 when the range holds no sound */
    static long extract(Path video, Path wav, FrameDecoder.Span span) throws IOException {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.setSampleFormat(AV_SAMPLE_FMT_S16);
            grabber.start();
            int rate = grabber.getSampleRate();
            int channels = grabber.getAudioChannels();
            long limit = span.cutAtEnd() ? samplesAt(span.endUs() - span.firstUs(), rate) : Long.MAX_VALUE;
            try (WavWriter out = new WavWriter(wav, rate, channels)) {
                boolean aligned = false;
                Frame frame;
                while (out.sampleFrames() < limit && (frame = grabber.grabSamples()) != null) {
                    if (frame.samples == null || !(frame.samples[0] instanceof ShortBuffer samples)) {
                        continue;
                    }
                    ShortBuffer chunk = samples.duplicate();
                    if (!aligned) {
                        // place the first chunk on the frames' clock: pad a late start, drop sound before frame 0
                        long at = samplesAt(frame.timestamp - span.firstUs(), rate);
                        if (at > 0) {
                            out.writeSilence(Math.min(at, limit));
                        } else if (-at * channels >= chunk.remaining()) {
                            continue;
                        } else {
                            chunk.position(chunk.position() + (int) (-at * channels));
                        }
                        aligned = true;
                    }
                    long room = (limit - out.sampleFrames()) * channels;
                    if (chunk.remaining() > room) {
                        chunk.limit(chunk.position() + (int) room);
                    }
                    out.write(chunk);
                }
                grabber.stop();
                return out.sampleFrames();
            }
        } catch (FrameGrabber.Exception e) {
            throw new IOException("Cannot extract the audio of " + video + ": " + e.getMessage(), e);
        }
    }

    private static long samplesAt(long us, int rate) {
        return Math.round(us * (double) rate / 1e6);
    }
}
