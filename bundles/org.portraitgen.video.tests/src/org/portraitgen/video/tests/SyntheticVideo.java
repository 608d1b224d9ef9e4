package org.portraitgen.video.tests;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.image.BufferedImage;
import java.nio.ShortBuffer;
import java.nio.file.Path;

import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes small test clips with FFmpegFrameRecorder directly (not through the code under test): three vertical bands
 * (red | green | blue, the middle band exactly the centre square) that brighten frame by frame, optionally with a
 * 440 Hz tone, so crop, trimming and audio can be checked against known content.
 */
final class SyntheticVideo {

    static final int SAMPLE_RATE = 48_000;

    private SyntheticVideo() {
    }

    static Path write(Path file, int width, int height, int frames, double fps, boolean withAudio) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toString(), width, height, withAudio ? 1 : 0);
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            r.setFormat("mp4");
            r.setVideoCodecName("libopenh264");
            r.setPixelFormat(AV_PIX_FMT_YUV420P);
            r.setFrameRate(fps);
            r.setVideoBitrate(4_000_000);
            if (withAudio) {
                r.setAudioCodec(AV_CODEC_ID_AAC);
                r.setSampleRate(SAMPLE_RATE);
                r.setAudioBitrate(128_000);
            }
            r.start();
            int samplesPerFrame = (int) Math.round(SAMPLE_RATE / fps);
            for (int i = 0; i < frames; i++) {
                r.record(converter.convert(frame(width, height, i)), AV_PIX_FMT_BGR24);
                if (withAudio) {
                    r.recordSamples(SAMPLE_RATE, 1, tone(i * samplesPerFrame, samplesPerFrame));
                }
            }
            r.stop();
        }
        return file;
    }

    /** Bands: x below the centre square red, inside it green, right of it blue; brightness grows with the index. */
    static BufferedImage frame(int width, int height, int index) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        int side = Math.min(width, height);
        int left = (width - side) / 2;
        int level = Math.min(255, 120 + 10 * index);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = x < left ? level << 16 : x < left + side ? level << 8 : level;
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static ShortBuffer tone(long firstSample, int count) {
        ShortBuffer b = ShortBuffer.allocate(count);
        for (int i = 0; i < count; i++) {
            b.put((short) (8000 * Math.sin(2 * Math.PI * 440 * (firstSample + i) / SAMPLE_RATE)));
        }
        return b.flip();
    }
}
