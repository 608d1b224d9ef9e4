package org.portraitgen.video.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleConsumer;

import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.core.Images;

/**
 * Encodes a frame store to H.264 in MP4 (yuv420p, AAC sound), into a temp sibling renamed onto the output when
 * complete. yuv420p subsamples chroma 2x2, so frames of odd width or height are padded by repeating their last
 * column or row: the video is then one pixel wider or taller, and no source pixel is lost or resampled.
 */
final class Mp4Encoder {

    private static final int AUDIO_CHUNK = 1024;
    private static final int AUDIO_BITRATE = 192_000;

    private Mp4Encoder() {
    }

    static void encode(FrameStoreImpl frames, Path output, EncodeOptions options, DoubleConsumer progress)
            throws IOException {
        Path target = output.toAbsolutePath().normalize();
        FrameStoreInfo info = frames.info();
        H264Encoder encoder = H264Encoder.find();
        Optional<Path> audio = options.keepAudio() ? frames.audio() : Optional.empty();
        Path temp = AtomicFiles.tempSibling(target);
        try {
            write(frames, temp, encoder, options, audio, progress);
            requireComplete(temp, target);
            AtomicFiles.publish(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            AtomicFiles.deleteQuietly(temp, e);
            throw e;
        }
    }

    /**
     * FFmpeg's muxer does not report failed writes (a full disk): the file it leaves must be checked before it is
     * published, or a truncated video would replace a good one.
     */
    private static void requireComplete(Path temp, Path target) throws IOException {
        try {
            Mp4Boxes.requireComplete(temp);
        } catch (VideoFileException e) {
            long free = Files.getFileStore(temp.getParent()).getUsableSpace();
            throw new IOException("Cannot write " + target + ": the encoded file came out incomplete, with " + free
                    + " bytes free on its file system (is the disk full?)", e);
        }
    }

    static int even(int size) {
        return size + (size & 1);
    }

    private static void write(FrameStoreImpl frames, Path temp, H264Encoder encoder, EncodeOptions options,
            Optional<Path> audio, DoubleConsumer progress) throws IOException {
        FrameStoreInfo info = frames.info();
        int width = even(info.width());
        int height = even(info.height());
        try (WavReader wav = audio.isPresent() ? new WavReader(audio.get()) : null;
                FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(temp.toString(), width, height,
                        wav == null ? 0 : wav.channels());
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("mp4"); // the temp name has no .mp4 extension to guess from
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(info.frameRate());
            recorder.setOption("movflags", "+faststart"); // index first: players can start before the download ends
            encoder.configure(recorder, options, info.frameRate());
            if (wav != null) {
                recorder.setAudioCodec(AV_CODEC_ID_AAC);
                recorder.setSampleRate(wav.sampleRate());
                recorder.setAudioBitrate(AUDIO_BITRATE);
            }
            recorder.start();
            List<Long> ts = info.timestampsUs();
            long frameUs = Math.round(1e6 / info.frameRate());
            int lastPts = -1;
            for (int i = 0; i < info.frameCount(); i++) {
                long t = ts.get(i) - ts.get(0);
                // variable spacing (a step, dropped frames) is kept; pts must still grow by at least one tick
                int pts = Math.max(lastPts + 1, (int) Math.round(t * info.frameRate() / 1e6));
                BufferedImage image = padToEven(frames.readImage(i), width, height);
                recorder.setFrameNumber(pts);
                recorder.record(converter.convert(image), AV_PIX_FMT_BGR24);
                lastPts = pts;
                if (wav != null) {
                    feedAudio(recorder, wav, t + frameUs);
                }
                progress.accept((i + 1) / (double) info.frameCount());
            }
            if (wav != null) {
                long end = ts.get(ts.size() - 1) - ts.get(0) + frameUs;
                feedAudio(recorder, wav, end);
            }
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("Cannot encode " + frames.directory() + " to MP4 with " + encoder.name() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Records sound up to {@code untilUs} on the video clock, so the muxer interleaves instead of buffering. */
    private static void feedAudio(FFmpegFrameRecorder recorder, WavReader wav, long untilUs)
            throws IOException {
        long wanted = Math.round(untilUs * wav.sampleRate() / 1e6);
        while (wav.framesRead() < wanted) {
            int n = (int) Math.min(AUDIO_CHUNK, wanted - wav.framesRead());
            ShortBuffer chunk = wav.read(n);
            if (!chunk.hasRemaining()) {
                return;
            }
            recorder.recordSamples(wav.sampleRate(), wav.channels(), chunk);
        }
    }

    /** Converts to 8-bit BGR (mask stores are grey) and repeats the last column / row to reach an even size. */
    private static BufferedImage padToEven(BufferedImage image, int width, int height) {
        BufferedImage rgb = image.getType() == BufferedImage.TYPE_3BYTE_BGR ? image
                : Images.toBufferedImage(Images.toFloat(image, 3));
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        if (w == width && h == height) {
            return rgb;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = out.getRaster();
        r.setRect(rgb.getRaster());
        if (width > w) {
            r.setPixels(w, 0, 1, h, rgb.getRaster().getPixels(w - 1, 0, 1, h, (int[]) null));
        }
        if (height > h) {
            r.setPixels(0, h, width, 1, r.getPixels(0, h - 1, width, 1, (int[]) null));
        }
        return out;
    }
}
