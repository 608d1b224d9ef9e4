package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.api.video.VideoProbe;
import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Video probing as {@code portraitgen probe} and every decode node do it: the sniffer, the MP4 box walk and then
 * libavformat (native FFmpeg, so a memory error there kills the fuzzing JVM and is a finding too). It fails only with
 * an IOException naming the file, and what it accepts has a frame size within the limits. The seeds are tiny Y4M
 * clips (FFmpeg reads them without a decoder library) and the headers the sniffer knows.
 */
class ProberFuzzTest {

    private static final Path FILE = FuzzSupport.scratch("probe").resolve("clip.bin");
    private static final VideoLimits LIMITS = new VideoLimits(256, 256 * 256);

    static {
        // as VideoIOImpl does: failures reach the harness as exceptions, FFmpeg's own warnings would flood the log
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET);
    }

    @FuzzTest
    void probe(byte[] data) {
        FuzzSupport.count("Prober");
        FuzzSupport.write(FILE, data);
        try {
            VideoProbe p = new Prober(LIMITS).probe(FILE);
            if (p.width() < 1 || p.height() < 1 || p.width() > 256 || p.height() > 256) {
                throw new AssertionError("accepted a frame size of " + p.width() + "x" + p.height());
            }
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
