package org.portraitgen.video.internal;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_SCORE_RETRY;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;
import org.portraitgen.api.video.VideoProbe;
import org.portraitgen.video.internal.FileSniffer.Kind;
import org.portraitgen.video.internal.VideoFileException.Problem;

/**
 * Reads a video's facts with libavformat alone (no decoder, no frame buffers), and turns every way a file can be
 * unusable into a {@link VideoFileException} that names the file and the problem. Decoding starts only after this
 * and the size limits passed.
 */
final class Prober {

    private final VideoLimits limits;

    Prober(VideoLimits limits) {
        this.limits = limits;
    }

    VideoProbe probe(Path video) throws IOException {
        Path file = video.toAbsolutePath().normalize();
        requireNonEmptyFile(file);
        Kind kind = FileSniffer.sniff(file);
        if (kind.isImage() || kind == Kind.TEXT) {
            throw new VideoFileException(Problem.NOT_A_VIDEO, file, "this is " + kind.label + ", not a video");
        }
        if (kind == Kind.MP4) {
            Mp4Boxes.requireComplete(file);
        }
        AVFormatContext oc = new AVFormatContext(null);
        int ret = avformat_open_input(oc, file.toString(), (AVInputFormat) null, (AVDictionary) null);
        if (ret < 0) {
            throw openFailure(file, kind, ret);
        }
        try {
            return readFacts(file, kind, oc);
        } finally {
            avformat_close_input(oc);
        }
    }

    private VideoProbe readFacts(Path file, Kind kind, AVFormatContext oc) throws IOException {
        String format = oc.iformat().name().getString();
        if (isImageDemuxer(format)) {
            throw new VideoFileException(Problem.NOT_A_VIDEO, file, "FFmpeg reads it as a still image (" + format
                    + "), not a video");
        }
        AVStream stream = videoStream(oc);
        // the demuxer header already declares the frame size: refuse huge frames before stream analysis decodes any
        if (stream != null && stream.codecpar().width() > 0) {
            limits.check(file, stream.codecpar().width(), stream.codecpar().height(), "frame size");
        }
        int ret = avformat_find_stream_info(oc, (PointerPointer<?>) null);
        if (ret < 0) {
            throw new VideoFileException(kind.isContainer() ? Problem.TRUNCATED : Problem.CORRUPT, file,
                    "the streams cannot be analysed; the file is damaged (FFmpeg: " + errorText(ret) + ")");
        }
        stream = videoStream(oc);
        if (stream == null) {
            if (kind == Kind.UNKNOWN && oc.probe_score() <= AVPROBE_SCORE_RETRY) {
                throw corrupt(file, "FFmpeg only guessed the format '" + format + "' (score " + oc.probe_score()
                        + ") and found no video in it");
            }
            throw new VideoFileException(Problem.NOT_A_VIDEO, file, "it has no video stream (format " + format
                    + (hasStream(oc, AVMEDIA_TYPE_AUDIO) ? ", audio only)" : ")"));
        }
        AVCodecParameters par = stream.codecpar();
        String codec = avcodec_get_name(par.codec_id()).getString();
        if (par.width() <= 0 || par.height() <= 0) {
            throw corrupt(file, "the " + codec + " video stream declares no frame size");
        }
        limits.check(file, par.width(), par.height(), "frame size");
        if (avcodec_find_decoder(par.codec_id()) == null) {
            throw new VideoFileException(Problem.NO_DECODER, file, "this FFmpeg build has no decoder for " + codec);
        }
        double fps = frameRate(stream);
        long durationUs = durationUs(oc, stream);
        long frames = stream.nb_frames() > 0 ? stream.nb_frames() : Math.round(durationUs * fps / 1e6);
        return new VideoProbe(file.toString(), format, codec, par.width(), par.height(), fps,
                (int) Math.min(Integer.MAX_VALUE, frames), durationUs, hasStream(oc, AVMEDIA_TYPE_AUDIO));
    }

    private static void requireNonEmptyFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new VideoFileException(Problem.MISSING, file, "the file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new VideoFileException(Problem.NOT_A_VIDEO, file, "this is a folder or device, not a file");
        }
        if (!Files.isReadable(file)) {
            throw new VideoFileException(Problem.MISSING, file, "the file is not readable (permissions)");
        }
        if (Files.size(file) == 0) {
            throw new VideoFileException(Problem.EMPTY, file, "the file is empty (0 bytes)");
        }
    }

    private static VideoFileException openFailure(Path file, Kind kind, int ret) {
        if (kind.isContainer()) {
            return new VideoFileException(Problem.TRUNCATED, file, "this is " + kind.label
                    + " but it is damaged or incomplete (FFmpeg: " + errorText(ret) + ")");
        }
        return corrupt(file, "no known video format; the data is corrupt or not a video (FFmpeg: "
                + errorText(ret) + ")");
    }

    private static VideoFileException corrupt(Path file, String detail) {
        return new VideoFileException(Problem.CORRUPT, file, "cannot be read as a video: " + detail);
    }

    /** Image demuxers (image2, jpeg_pipe, png_pipe, ...) and the ANSI-art "tty" demuxer that claims *.txt files. */
    private static boolean isImageDemuxer(String format) {
        return format.equals("image2") || format.endsWith("_pipe") || format.equals("tty");
    }

    private static AVStream videoStream(AVFormatContext oc) {
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream s = oc.streams(i);
            boolean coverArt = (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0;
            if (s.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && !coverArt) {
                return s;
            }
        }
        return null;
    }

    private static boolean hasStream(AVFormatContext oc, int mediaType) {
        for (int i = 0; i < oc.nb_streams(); i++) {
            if (oc.streams(i).codecpar().codec_type() == mediaType) {
                return true;
            }
        }
        return false;
    }

    private static double frameRate(AVStream s) {
        AVRational r = s.avg_frame_rate();
        if (r.num() <= 0 || r.den() <= 0) {
            r = s.r_frame_rate();
        }
        return r.num() > 0 && r.den() > 0 ? av_q2d(r) : 25.0;
    }

    private static long durationUs(AVFormatContext oc, AVStream s) {
        if (oc.duration() != AV_NOPTS_VALUE && oc.duration() > 0) {
            return oc.duration(); // AV_TIME_BASE is microseconds
        }
        if (s.duration() != AV_NOPTS_VALUE && s.duration() > 0) {
            return Math.round(s.duration() * av_q2d(s.time_base()) * 1e6);
        }
        return 0;
    }

    static String errorText(int ret) {
        byte[] buf = new byte[256];
        av_strerror(ret, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " [" + ret + "]";
    }
}
