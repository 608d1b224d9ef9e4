package org.portraitgen.video.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.video.internal.VideoFileException;
import org.portraitgen.video.internal.VideoFileException.Problem;
import org.portraitgen.video.internal.VideoIOImpl;
import org.portraitgen.video.internal.VideoLimits;
import org.portraitgen.testing.TestData;

/**
 * Every kind of unusable input gives its own {@link Problem} and a message naming the file and the problem, and a
 * refused decode leaves nothing at (or beside) its destination. The bad files are made here, at test time.
 */
class BadInputTest {

    @TempDir
    static Path work;

    static VideoIO io;

    /** How a bad file is made in a folder; returns its path. */
    interface Maker {
        Path make(Path dir) throws Exception;
    }

    @BeforeAll
    static void service() throws Exception {
        io = TestData.service(VideoIO.class, null);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("missing", Problem.MISSING, "does not exist", (Maker) d -> d.resolve("gone.mp4")),
                Arguments.of("empty", Problem.EMPTY, "empty (0 bytes)",
                        (Maker) d -> Files.createFile(d.resolve("empty.mp4"))),
                Arguments.of("text", Problem.NOT_A_VIDEO, "text file, not a video",
                        (Maker) d -> Files.writeString(d.resolve("notes.txt"), "shopping list\nmilk\n")),
                Arguments.of("text named .mp4", Problem.NOT_A_VIDEO, "text file, not a video",
                        (Maker) d -> Files.writeString(d.resolve("clip.mp4"), "<html>404 not found</html>\n")),
                Arguments.of("jpeg", Problem.NOT_A_VIDEO, "JPEG image, not a video", (Maker) BadInputTest::jpeg),
                Arguments.of("truncated mp4", Problem.TRUNCATED, "truncated", (Maker) BadInputTest::truncatedSample),
                Arguments.of("random bytes", Problem.CORRUPT, "cannot be read as a video",
                        (Maker) BadInputTest::randomBytes),
                Arguments.of("huge side", Problem.TOO_LARGE, "limit of 8192 pixels per side",
                        (Maker) d -> y4m(d.resolve("wide.y4m"), 9000, 64)),
                Arguments.of("huge area", Problem.TOO_LARGE, "limit of 40.0 megapixels",
                        (Maker) d -> y4m(d.resolve("big.y4m"), 8000, 6000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void isRefusedWithItsReasonAndLeavesNothing(String name, Problem problem, String phrase, Maker maker)
            throws Exception {
        Path dir = Files.createDirectories(work.resolve(name.replace(' ', '-')));
        Path file = maker.make(dir);
        Path out = Files.createDirectories(work.resolve("out-" + dir.getFileName()));
        Path store = out.resolve("store");

        VideoFileException e = assertThrows(VideoFileException.class,
                () -> io.decode(file, store, DecodeOptions.ALL, f -> { }));
        System.out.println(name + " -> " + e.getMessage());
        assertEquals(problem, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(phrase), "says '" + phrase + "': " + e.getMessage());
        assertFalse(Files.exists(store), "no store appears");
        assertEquals(0, Stores.entries(out), "nothing, not even a temp folder, is left beside it");

        VideoFileException p = assertThrows(VideoFileException.class, () -> io.probe(file));
        assertEquals(problem, p.problem(), "probe gives the same answer: " + p.getMessage());
    }

    @Test
    void truncatedMp4WithIndexFirstIsRefusedToo() throws Exception {
        // an MP4 written with its index first ("faststart", as our encoder does) still opens when cut off;
        // its last box then claims more bytes than the file has
        Path full = work.resolve("faststart.mp4");
        io.encodeMp4(Stores.synthetic(io, work.resolve("fs-store"), 64, 64, 10), full, EncodeOptions.DEFAULT,
                f -> { });
        byte[] bytes = Files.readAllBytes(full);
        Path cut = Files.write(work.resolve("faststart-cut.mp4"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        VideoFileException e = assertThrows(VideoFileException.class,
                () -> io.decode(cut, work.resolve("fs-out"), DecodeOptions.ALL, f -> { }));
        assertEquals(Problem.TRUNCATED, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains("'mdat'"), e.getMessage());
    }

    @Test
    void configuredLimitRefusesTheSampleBeforeDecoding() throws Exception {
        VideoIO small = new VideoIOImpl(new VideoLimits(256, 1_000_000));
        Path store = work.resolve("limited");
        VideoFileException e = assertThrows(VideoFileException.class,
                () -> small.decode(TestData.video("d0.mp4"), store, DecodeOptions.ALL, f -> { }));
        assertEquals(Problem.TOO_LARGE, e.problem());
        assertTrue(e.getMessage().contains("512x512") && e.getMessage().contains("d0.mp4"), e.getMessage());
        assertFalse(Files.exists(store));
    }

    @Test
    void frameCountLimitRefusesLongDecodesBeforeDecoding() throws Exception {
        VideoIO few = new VideoIOImpl(new VideoLimits(8192, 40_000_000L, 5));
        Path store = work.resolve("too-many");
        VideoFileException e = assertThrows(VideoFileException.class,
                () -> few.decode(TestData.video("d0.mp4"), store, DecodeOptions.ALL, f -> { }));
        assertEquals(Problem.TOO_LARGE, e.problem());
        assertTrue(e.getMessage().contains("limit of 5 frames") && e.getMessage().contains("d0.mp4")
                && e.getMessage().contains("max_frames"), e.getMessage());
        assertFalse(Files.exists(store), "nothing is left of a refused decode");
        // within the limit with max_frames
        assertEquals(5, few.decode(TestData.video("d0.mp4"), work.resolve("five"),
                new DecodeOptions(0, 5, 1, 64, 0, "none", false), f -> { }).info().frameCount());
    }

    @Test
    void requestedOutputSizeIsLimitedToo() throws Exception {
        VideoFileException e = assertThrows(VideoFileException.class, () -> io.decode(TestData.video("d0.mp4"),
                work.resolve("upscaled"), new DecodeOptions(0, 1, 1, 9000, 0, "none", false), f -> { }));
        assertEquals(Problem.TOO_LARGE, e.problem());
        assertTrue(e.getMessage().contains("requested output size 9000x9000"), e.getMessage());
    }

    @Test
    void serviceUsesTheConfiguredDefaults() {
        assertEquals(VideoLimits.DEFAULT, ((VideoIOImpl) io).limits());
    }

    @Test
    void unknownCropIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> io.decode(
                TestData.video("d0.mp4"), work.resolve("crop"), new DecodeOptions(0, 1, 1, 0, 0, "circle", true),
                f -> { }));
        assertTrue(e.getMessage().contains("circle"), e.getMessage());
        assertFalse(Files.exists(work.resolve("crop")));
    }

    @Test
    void filledDestinationIsNeverOverwritten() throws Exception {
        Path store = Files.createDirectories(work.resolve("taken"));
        Files.writeString(store.resolve("keep.txt"), "mine");
        assertThrows(IOException.class,
                () -> io.decode(TestData.video("d0.mp4"), store, new DecodeOptions(0, 1, 1, 0, 0, "none", false),
                        f -> { }));
        assertEquals("mine", Files.readString(store.resolve("keep.txt")));
        assertEquals(1, Stores.entries(store));
    }

    private static Path jpeg(Path dir) throws Exception {
        Path file = dir.resolve("portrait.jpg");
        ImageIO.write(SyntheticVideo.frame(64, 48, 0), "jpg", file.toFile());
        return file;
    }

    /** The first 200 kB of d0.mp4: a download cut short, its index ('moov') at the end missing. */
    private static Path truncatedSample(Path dir) throws Exception {
        Path file = dir.resolve("d0-cut.mp4");
        try (InputStream in = Files.newInputStream(TestData.video("d0.mp4"))) {
            Files.write(file, in.readNBytes(200_000));
        }
        return file;
    }

    /** Seeded random bytes named like a video. */
    private static Path randomBytes(Path dir) throws Exception {
        byte[] b = new byte[64 * 1024];
        new Random(20261125).nextBytes(b);
        return Files.write(dir.resolve("random.mp4"), b);
    }

    /**
     * A YUV4MPEG2 file whose text header declares a huge frame but that holds only a few bytes of it: tiny on
     * disk, so the size limit must act on the declared size before anything is decoded or allocated.
     */
    private static Path y4m(Path file, int width, int height) throws Exception {
        byte[] header = ("YUV4MPEG2 W" + width + " H" + height + " F25:1 Ip A1:1 C420jpeg\nFRAME\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Arrays.copyOf(header, header.length + 4096);
        return Files.write(file, bytes);
    }
}
