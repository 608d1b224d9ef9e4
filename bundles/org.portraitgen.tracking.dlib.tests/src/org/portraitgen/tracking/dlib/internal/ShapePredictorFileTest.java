package org.portraitgen.tracking.dlib.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dlib's serialized encodings, the 68-point model's structure, and the errors for damaged files. */
class ShapePredictorFileTest {

    static final Path MODEL = Path.of(Dlib68Node.DEFAULT_MODEL);
    static ShapePredictor model;

    @TempDir
    static Path work;

    @BeforeAll
    static void load() throws IOException {
        assertTrue(Files.isRegularFile(MODEL), MODEL + " missing: releng/setup-machine.sh installs libdlib-data");
        model = ShapePredictor.read(MODEL);
    }

    private static DlibStream stream(int... bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : bytes) {
            b.put((byte) v);
        }
        return new DlibStream(b.flip(), Path.of("bytes.dat"));
    }

    @Test
    void decodesDlibIntegers() throws IOException {
        assertEquals(1, stream(0x01, 0x01).signed(4, "x"));
        assertEquals(-136, stream(0x81, 0x88).signed(8, "x")); // how dlib writes a column vector's rows
        assertEquals(0x1234, stream(0x02, 0x34, 0x12).unsignedInt("x"));
        assertEquals(0, stream(0x01, 0x00).unsignedInt("x"));
        assertEquals(-70000, stream(0x83, 0x70, 0x11, 0x01).signed(8, "x"));
        IOException tooWide = assertThrows(IOException.class, () -> stream(0x05, 1, 2, 3, 4, 5).signed(4, "an int"));
        assertTrue(tooWide.getMessage().contains("bytes.dat") && tooWide.getMessage().contains("an int"),
                tooWide.getMessage());
        IOException cut = assertThrows(IOException.class, () -> stream(0x03, 1).unsignedInt("a count"));
        assertTrue(cut.getMessage().contains("truncated at byte 0"), cut.getMessage());
    }

    @Test
    void decodesDlibFloats() throws IOException {
        // float_details of 1.0f: frexp gives 0.5 * 2^1; mantissa 2^23 with exponent -23, compacted to 0x80 * 2^-7
        assertEquals(1.0f, stream(0x01, 0x80, 0x81, 0x07).floatValue("x"));
        assertEquals(-2.5f, stream(0x81, 0xA0, 0x81, 0x06).floatValue("x")); // -160 * 2^-6
        assertEquals(Float.POSITIVE_INFINITY, stream(0x01, 0x00, 0x02, 0x00, 0x7D).floatValue("x")); // exp 32000
        assertTrue(Float.isNaN(stream(0x01, 0x00, 0x02, 0x02, 0x7D).floatValue("x"))); // exp 32002
        IOException ascii = assertThrows(IOException.class, () -> stream('1', '.', '5', ' ').floatValue("thresh"));
        assertTrue(ascii.getMessage().contains("ASCII"), ascii.getMessage());
    }

    @Test
    void the68PointModelHasDlibsStructure() {
        assertEquals(68, model.parts());
        // shape_predictor_68_face_landmarks.dat: 15 cascade levels x 500 trees of depth 4, 500 feature pixels each
        assertEquals(15, model.cascadeLevels());
        for (int l = 0; l < model.cascadeLevels(); l++) {
            assertEquals(500, model.treesPerLevel(l));
            assertEquals(4, model.treeDepth(l));
            assertEquals(500, model.featurePixels(l));
        }
    }

    @Test
    void aTruncatedFileNamesItselfAndWhereItEnds() throws IOException {
        Path cut = work.resolve("cut.dat");
        copyPrefix(cut, 5_000_000);
        IOException e = assertThrows(IOException.class, () -> ShapePredictor.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("libdlib-data"), e.getMessage());
    }

    @Test
    void aDamagedFileNamesItselfAndTheField() throws IOException {
        Path bad = work.resolve("bad-version.dat");
        copyPrefix(bad, 1000);
        patch(bad, 1, 0x02); // version 2
        IOException e = assertThrows(IOException.class, () -> ShapePredictor.read(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("version 2"), e.getMessage());

        Path shape = work.resolve("bad-rows.dat");
        copyPrefix(shape, 1000);
        patch(shape, 2, 0x7F); // rows of initial_shape: reserved bits set
        IOException rows = assertThrows(IOException.class, () -> ShapePredictor.read(shape));
        assertTrue(rows.getMessage().contains("rows of initial_shape") && rows.getMessage().contains("byte 2"),
                rows.getMessage());

        Path missing = work.resolve("absent.dat");
        NoSuchFileException none = assertThrows(NoSuchFileException.class, () -> ShapePredictor.read(missing));
        assertTrue(none.getMessage().contains("libdlib-data"), none.getMessage());

        Path bz2 = work.resolve("model.dat.bz2");
        Files.write(bz2, new byte[] { 'B', 'Z', 'h', '9', 0x31, 0x41 });
        IOException packed = assertThrows(IOException.class, () -> ShapePredictor.read(bz2));
        assertTrue(packed.getMessage().contains("bunzip2"), packed.getMessage());
    }

    private static void copyPrefix(Path to, int bytes) throws IOException {
        try (FileChannel in = FileChannel.open(MODEL, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(bytes);
            while (b.hasRemaining() && in.read(b) > 0) {
                // fill
            }
            Files.write(to, b.array());
        }
    }

    private static void patch(Path file, int offset, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[offset] = (byte) value;
        Files.write(file, bytes);
    }
}
