package org.portraitgen.video.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.api.video.VideoProbe;
import org.portraitgen.core.ImageMetrics;
import org.portraitgen.testing.TestData;

class EncodeTest {

    /**
     * PSNR bound for libopenh264 at the default 8 Mbit/s on these 512x512 frames: the worst frame measured 36.8 dB;
     * the margin allows for encoder updates, while a wrong pixel format or a shifted frame drops far below 30.
     */
    private static final double MIN_PSNR_DB = 34;

    @TempDir
    static Path work;

    static VideoIO io;
    /** The first 20 frames of d0.mp4: enough to cover a GOP boundary while keeping the test fast. */
    static FrameStore source;

    @BeforeAll
    static void decodeSource() throws Exception {
        io = TestData.service(VideoIO.class, null);
        source = io.decode(TestData.video("d0.mp4"), work.resolve("source"),
                new DecodeOptions(0, 20, 1, 0, 0, "none", true), f -> { });
    }

    @Test
    void mp4RoundTripKeepsFramesSizeTimingAndQuality() throws Exception {
        Path mp4 = work.resolve("out").resolve("clip.mp4");
        List<Double> progress = new ArrayList<>();
        io.encodeMp4(source, mp4, EncodeOptions.DEFAULT, progress::add);
        assertEquals(1.0, progress.get(progress.size() - 1), 1e-9);

        VideoProbe p = io.probe(mp4);
        assertEquals("h264", p.videoCodec());
        assertEquals(512, p.width());
        assertEquals(512, p.height());
        assertEquals(20, p.frameCount());
        assertEquals(25.0, p.frameRate(), 0.01);
        assertFalse(p.hasAudio(), "d0.mp4 has no sound, so neither has its encoding");

        FrameStore back = io.decode(mp4, work.resolve("back"), DecodeOptions.ALL, f -> { });
        assertEquals(20, back.info().frameCount());
        assertEquals(512, back.info().width());
        double worst = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 20; i++) {
            assertEquals(source.info().timestampsUs().get(i), back.info().timestampsUs().get(i), 1000.0,
                    "timestamp of frame " + i);
            double psnr = ImageMetrics.psnr(source.read(i), back.read(i));
            assertTrue(psnr > MIN_PSNR_DB, "frame " + i + " PSNR " + psnr + " dB");
            worst = Math.min(worst, psnr);
        }
        System.out.println("MP4 round trip of d0.mp4: worst frame PSNR " + worst + " dB");
        assertEquals(0, Stores.hiddenEntries(mp4.getParent()), "no temp file left beside the output");
    }

    @Test
    void oddSizesArePaddedToEven() throws Exception {
        FrameStore odd = Stores.synthetic(io, work.resolve("odd"), 33, 25, 3);
        Path mp4 = work.resolve("odd.mp4");
        io.encodeMp4(odd, mp4, EncodeOptions.DEFAULT, f -> { });
        VideoProbe p = io.probe(mp4);
        assertEquals(34, p.width(), "yuv420p needs even sizes: one column added");
        assertEquals(26, p.height(), "and one row");
        FrameStore back = io.decode(mp4, work.resolve("odd-back"), DecodeOptions.ALL, f -> { });
        assertEquals(3, back.info().frameCount());
        FloatImage last = back.read(2);
        FloatImage original = odd.read(2);
        // the padding repeats the edge: the added column 33 is blue like the blue band it continues
        assertTrue(last.get(2, 33, 10) > 0.4 && last.get(1, 33, 10) < 0.15, "padded column repeats the edge: "
                + last.get(0, 33, 10) + "/" + last.get(1, 33, 10) + "/" + last.get(2, 33, 10));
        assertEquals(original.get(1, 16, 12), last.get(1, 16, 12), 0.08, "content stays in place");
    }

    @Test
    void soundIsKeptThroughDecodeAndEncode() throws Exception {
        Path clip = SyntheticVideo.write(work.resolve("tone.mp4"), 128, 64, 10, 25, true);
        assertTrue(io.probe(clip).hasAudio());
        FrameStore store = io.decode(clip, work.resolve("tone-store"), DecodeOptions.ALL, f -> { });
        assertEquals("audio.wav", store.info().audioFile());
        long wavBytes = Files.size(store.directory().resolve("audio.wav")) - 44;
        double seconds = wavBytes / 2.0 / SyntheticVideo.SAMPLE_RATE;
        assertEquals(0.4, seconds, 0.05, "about 10 frames at 25 fps of sound");

        Path withSound = work.resolve("tone-out.mp4");
        io.encodeMp4(store, withSound, EncodeOptions.DEFAULT, f -> { });
        assertTrue(io.probe(withSound).hasAudio(), "the sound track is muxed back");
        assertEquals(10, io.probe(withSound).frameCount());

        Path silent = work.resolve("tone-silent.mp4");
        io.encodeMp4(store, silent, new EncodeOptions(18, 8000, false), f -> { });
        assertFalse(io.probe(silent).hasAudio(), "keepAudio=false drops it");

        FrameStore noSound = io.decode(clip, work.resolve("tone-nosound"),
                new DecodeOptions(0, 0, 1, 0, 0, "none", false), f -> { });
        assertNull(noSound.info().audioFile(), "decoding without keepAudio stores no sound");
    }

    @Test
    void soundOfATrimmedSampleMatchesItsFrames() throws Exception {
        FrameStore store = io.decode(TestData.video("d11.mp4"), work.resolve("d11"),
                new DecodeOptions(5, 10, 1, 128, 0, "none", true), f -> { });
        assertNotNull(store.info().audioFile(), "d11.mp4 has sound");
        Path wav = store.directory().resolve(store.info().audioFile());
        byte[] h = Files.readAllBytes(wav);
        int channels = h[22] | h[23] << 8;
        int rate = (h[24] & 0xff) | (h[25] & 0xff) << 8 | (h[26] & 0xff) << 16;
        double seconds = (h.length - 44) / 2.0 / channels / rate;
        assertEquals(10 / store.info().frameRate(), seconds, 0.01, "sound cut to the 10 kept frames");
        Path mp4 = work.resolve("d11.mp4");
        io.encodeMp4(store, mp4, EncodeOptions.DEFAULT, f -> { });
        assertTrue(io.probe(mp4).hasAudio());
    }

    @Test
    void pngSequenceHoldsTheStoredFrames() throws Exception {
        Path seq = work.resolve("seq");
        io.encodePngSequence(source, seq, f -> { });
        try (var s = Files.list(seq)) {
            assertEquals(20, s.count(), "one PNG per frame and nothing else");
        }
        for (int i : new int[] { 0, 19 }) {
            String name = String.format("%06d.png", i);
            assertArrayEquals(Files.readAllBytes(source.directory().resolve(name)),
                    Files.readAllBytes(seq.resolve(name)), "frame " + name + " is lossless");
        }
        assertThrows(FileAlreadyExistsException.class, () -> io.encodePngSequence(source, seq, f -> { }),
                "a filled folder is never overwritten");
        assertEquals(0, Stores.hiddenEntries(work));
    }

    @Test
    void failedEncodeLeavesNothingBehind() throws Exception {
        Path dir = work.resolve("broken");
        FrameStore broken = Stores.synthetic(io, dir, 64, 64, 6);
        Files.delete(dir.resolve("000004.png"));
        Path outDir = Files.createDirectories(work.resolve("broken-out"));
        IOException e = assertThrows(IOException.class,
                () -> io.encodeMp4(broken, outDir.resolve("x.mp4"), EncodeOptions.DEFAULT, f -> { }));
        assertTrue(e.getMessage().contains("000004.png"), e.getMessage());
        assertEquals(0, Stores.entries(outDir), "neither the output nor a temp file remains");
        assertThrows(IOException.class, () -> io.encodePngSequence(broken, outDir.resolve("seq"), f -> { }));
        assertEquals(0, Stores.entries(outDir));
    }
}
