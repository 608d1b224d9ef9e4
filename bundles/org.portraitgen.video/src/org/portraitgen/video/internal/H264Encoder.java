package org.portraitgen.video.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

import java.io.IOException;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.portraitgen.api.video.EncodeOptions;

/**
 * The H.264 encoder this FFmpeg build offers. The LGPL build shipped with the product has libopenh264 only (no CRF:
 * it is rate-controlled by bitrate); a GPL build with libx264 is used in CRF mode when present.
 *
 * @param name      FFmpeg encoder name
 * @param crfCapable whether {@link EncodeOptions#crf()} is honoured
 */
record H264Encoder(String name, boolean crfCapable) {

    static H264Encoder find() throws IOException {
        if (avcodec_find_encoder_by_name("libx264") != null) {
            return new H264Encoder("libx264", true);
        }
        if (avcodec_find_encoder_by_name("libopenh264") != null) {
            return new H264Encoder("libopenh264", false);
        }
        AVCodec any = avcodec_find_encoder(AV_CODEC_ID_H264);
        if (any == null) {
            throw new IOException("This FFmpeg build has no H.264 encoder (neither libx264 nor libopenh264)");
        }
        return new H264Encoder(any.name().getString(), false);
    }

    /** Sets codec, quality and rate control on a recorder that has not started. */
    void configure(FFmpegFrameRecorder recorder, EncodeOptions options, double frameRate) {
        recorder.setVideoCodecName(name);
        recorder.setGopSize((int) Math.max(1, Math.round(frameRate * 2)));
        recorder.setVideoBitrate(Math.max(100, options.bitrateKbps()) * 1000);
        if (crfCapable) {
            recorder.setVideoQuality(options.crf());
            recorder.setVideoOption("preset", "medium");
        } else if (name.equals("libopenh264")) {
            // bitrate mode: openh264's quality mode drops to low quality on still content
            recorder.setVideoOption("rc_mode", "bitrate");
            recorder.setVideoOption("allow_skip_frames", "0");
        }
    }
}
