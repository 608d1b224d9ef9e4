package org.portraitgen.video.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.api.video.VideoProbe;
import org.portraitgen.core.ImageMetrics;
import org.portraitgen.testing.TestData;

class DecodeTest {

    @TempDir
    static Path work;

    static VideoIO io;
    static VideoProbe probe;
    /** d0.mp4 decoded whole, shared by the tests that compare against it. */
    static FrameStore full;

    @BeforeAll
    static void decodeSample() throws Exception {
        io = TestData.service(VideoIO.class, null);
        probe = io.probe(TestData.video("d0.mp4"));
        List<Double> progress = new ArrayList<>();
        full = io.decode(TestData.video("d0.mp4"), work.resolve("full"), DecodeOptions.ALL, progress::add);
        assertEquals(1.0, progress.get(progress.size() - 1), 1e-9, "progress ends at 1");
    }

    @Test
    void decodesEveryFrameWithItsTiming() throws Exception {
        FrameStoreInfo info = full.info();
        assertEquals(probe.frameCount(), info.frameCount(), "one stored frame per frame in the container");
        assertEquals(512, info.width());
        assertEquals(512, info.height());
        assertEquals(3, info.channels());
        assertEquals(25.0, info.frameRate(), 1e-6);
        assertNull(info.audioFile(), "d0.mp4 has no sound");
        List<Long> ts = info.timestampsUs();
        assertEquals(0L, ts.get(0), "timestamps count from the first frame");
        for (int i = 1; i < ts.size(); i++) {
            assertEquals(40_000, ts.get(i) - ts.get(i - 1), 1_000, "25 fps spacing at frame " + i);
        }
        assertTrue(Files.isRegularFile(full.directory().resolve("frames.json")));
        assertTrue(Files.readString(full.directory().resolve("frames.json")).contains("\"formatVersion\" : 1"));
        assertTrue(Files.isRegularFile(full.directory().resolve("000000.png")));
        assertTrue(Files.isRegularFile(full.directory().resolve(String.format("%06d.png", info.frameCount() - 1))));
        BufferedImage first = full.readImage(0);
        assertEquals(512, first.getWidth());
        FloatImage f = full.read(0);
        assertEquals(3, f.channels());
        assertTrue(mean(f) > 0.05 && mean(f) < 0.95, "a real picture, not a blank frame: mean " + mean(f));
    }

    @Test
    void reopenedStoreMatches() throws Exception {
        FrameStore again = io.open(full.directory());
        assertEquals(full.info(), again.info());
        assertEquals(full.read(5), again.read(5));
    }

    @Test
    void trimsStepsAndResizes() throws Exception {
        DecodeOptions o = new DecodeOptions(10, 5, 2, 128, 0, "none", true);
        FrameStore small = io.decode(TestData.video("d0.mp4"), work.resolve("small"), o, f -> { });
        FrameStoreInfo info = small.info();
        assertEquals(5, info.frameCount());
        assertEquals(128, info.width());
        assertEquals(128, info.height(), "height follows the aspect ratio");
        assertEquals(12.5, info.frameRate(), 1e-6, "every 2nd frame of 25 fps");
        for (int k = 0; k < 5; k++) {
            int source = 10 + 2 * k;
            assertEquals(full.info().timestampsUs().get(source), info.timestampsUs().get(k),
                    "frame " + k + " is source frame " + source + " with its source time");
            double psnr = ImageMetrics.psnr(boxDownscale(full.read(source), 4), small.read(k));
            assertTrue(psnr > 28, "frame " + k + " shows source frame " + source + " scaled down: " + psnr + " dB");
        }
    }

    @Test
    void cropsTheCentreSquareBeforeResizing() throws Exception {
        Path clip = SyntheticVideo.write(work.resolve("bands.mp4"), 96, 64, 4, 25, false);
        FrameStore sq = io.decode(clip, work.resolve("square"), new DecodeOptions(0, 0, 1, 32, 0, "center-square",
                true), f -> { });
        assertEquals(4, sq.info().frameCount());
        assertEquals(32, sq.info().width());
        assertEquals(32, sq.info().height());
        FloatImage f = sq.read(3);
        double[] m = channelMeans(f);
        assertTrue(m[1] > 0.4 && m[0] < 0.08 && m[2] < 0.08, "only the green centre band is left: "
                + m[0] + "/" + m[1] + "/" + m[2]);

        FrameStore wide = io.decode(clip, work.resolve("wide"), new DecodeOptions(0, 2, 1, 48, 0, "none", true),
                f2 -> { });
        assertEquals(48, wide.info().width());
        assertEquals(32, wide.info().height(), "96x64 at width 48 keeps 3:2");
        double[] w = channelMeans(wide.read(0));
        assertTrue(w[0] > 0.05 && w[2] > 0.05, "uncropped frames keep the red and blue bands");
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws Exception {
        try (Stream<Path> s = Files.list(work)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no hidden temp siblings");
        }
    }

    static double mean(FloatImage f) {
        double s = 0;
        for (float v : f.data()) {
            s += v;
        }
        return s / f.data().length;
    }

    static double[] channelMeans(FloatImage f) {
        double[] m = new double[f.channels()];
        int plane = f.planeSize();
        for (int c = 0; c < f.channels(); c++) {
            for (int i = 0; i < plane; i++) {
                m[c] += f.data()[c * plane + i];
            }
            m[c] /= plane;
        }
        return m;
    }

    /** Reference downscale: the mean of each factor x factor block. */
    static FloatImage boxDownscale(FloatImage in, int factor) {
        int w = in.width() / factor;
        int h = in.height() / factor;
        FloatImage out = new FloatImage(w, h, in.channels());
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            s += in.get(c, x * factor + dx, y * factor + dy);
                        }
                    }
                    out.set(c, x, y, s / (factor * factor));
                }
            }
        }
        return out;
    }
}
