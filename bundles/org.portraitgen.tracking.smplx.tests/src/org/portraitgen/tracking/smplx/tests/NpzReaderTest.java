package org.portraitgen.tracking.smplx.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;
import org.portraitgen.tracking.smplx.internal.model.ModelFiles;
import org.portraitgen.tracking.smplx.internal.model.ModelLoader;
import org.portraitgen.tracking.smplx.internal.npy.NpyArray;
import org.portraitgen.tracking.smplx.internal.npy.NpyFormatException;
import org.portraitgen.tracking.smplx.internal.npy.NpyReader;
import org.portraitgen.tracking.smplx.internal.npy.NpzFile;
import org.portraitgen.tracking.smplx.internal.npy.NpzWriter;

/** The .npy/.npz reader on every accepted dtype and order, and its errors on bad files; the model loader's errors. */
class NpzReaderTest {

    private static NpzFile roundTrip(NpzWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out);
        return NpzFile.read("t.npz", new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void everyDtypeAndShapeReadsBack() throws IOException {
        NpzFile f = roundTrip(new NpzWriter().f8("d", new double[] { 1.5, -2, 3e-300 }, 3)
                .f4("s", new float[] { 0.25f, -7f, 1, 2, 3, 4 }, 2, 3).i4("i", new int[] { -3, 5 }, 2, 1)
                .i8("l", new long[] { 1L << 40 }, 1).i8("scalar", new long[] { 7 })
                .raw("u1", "|u1", false, new int[] { 3 }, new byte[] { 0, (byte) 200, 7 })
                .raw("u4", "<u4", false, new int[] { 2 }, new byte[] { -1, -1, -1, -1, 9, 0, 0, 0 }));
        assertArrayEquals(new double[] { 1.5, -2, 3e-300 }, f.array("d").toDoubles());
        NpyArray s = f.array("s");
        assertArrayEquals(new int[] { 2, 3 }, s.shape());
        assertEquals(NpyArray.DType.F4, s.dtype());
        assertArrayEquals(new float[] { 0.25f, -7f, 1, 2, 3, 4 }, s.toFloats());
        assertArrayEquals(new int[] { -3, 5 }, f.array("i").toInts());
        assertEquals(1L << 40, (long) f.array("l").get(0));
        assertEquals(0, f.array("scalar").rank());
        assertEquals(7, f.array("scalar").toInts()[0]);
        assertArrayEquals(new int[] { 0, 200, 7 }, f.array("u1").toInts());
        // SMPL-X stores the root's parent as uint32 4294967295: it reads as -1
        assertArrayEquals(new int[] { -1, 9 }, f.array("u4").toInts());
    }

    @Test
    void fortranOrderIsReorderedToRowMajor() throws IOException {
        // the 2x3 matrix [[1,2,3],[4,5,6]] stored column by column; and a 2x2x2 block
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[] { 1, 4, 2, 5, 3, 6 }) {
            b.putDouble(v);
        }
        ByteBuffer c = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] { 0, 4, 2, 6, 1, 5, 3, 7 }) { // element [i,j,k] = 4i + 2j + k, i fastest
            c.putInt(v);
        }
        NpzFile f = roundTrip(new NpzWriter().raw("m", "<f8", true, new int[] { 2, 3 }, b.array())
                .raw("cube", "<i4", true, new int[] { 2, 2, 2 }, c.array()));
        assertArrayEquals(new double[] { 1, 2, 3, 4, 5, 6 }, f.array("m").toDoubles());
        assertArrayEquals(new int[] { 0, 1, 2, 3, 4, 5, 6, 7 }, f.array("cube").toInts());
    }

    @Test
    void objectArraysAreRefusedByName() throws IOException {
        NpzFile f = roundTrip(new NpzWriter().raw("part2num", "|O", false, new int[] {}, new byte[] { (byte) 0x80, 2 })
                .f8("ok", new double[] { 1 }, 1));
        assertEquals(1.0, f.array("ok").get(0)); // the rest of the file still reads
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> f.array("part2num"));
        assertTrue(e.getMessage().contains("t.npz:part2num") && e.getMessage().contains("pickled"), e.getMessage());
    }

    @Test
    void malformedArraysNameTheFileTheArrayAndTheProblem() {
        byte[] good = NpzWriter.npy("<f4", false, new int[] { 4 }, new byte[16]);
        assertMessage(() -> NpyReader.read("x.npz:a", Arrays.copyOf(good, good.length - 3)), "x.npz:a", "truncated");
        assertMessage(() -> NpyReader.read("x.npz:a", Arrays.copyOf(good, 9)), "x.npz:a", "truncated");
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertMessage(() -> NpyReader.read("x.npz:a", magic), "x.npz:a", "magic");
        assertMessage(() -> NpyReader.read("x.npz:a", NpzWriter.npy(">f4", false, new int[] { 4 }, new byte[16])),
                "x.npz:a", "unsupported dtype '>f4'");
        assertMessage(() -> NpyReader.read("x.npz:a", NpzWriter.npy("<f4", false, new int[] { 2, 3 }, new byte[16])),
                "x.npz:a", "needs 24 bytes");
        byte[] shape = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(4,)", "(x,)")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertMessage(() -> NpyReader.read("x.npz:a", shape), "x.npz:a", "shape entry 'x'");
        byte[] huge = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(4,)", "(99999,99999,9)")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertMessage(() -> NpyReader.read("x.npz:a", huge), "x.npz:a", "too large");
    }

    @Test
    void truncatedAndNonZipFilesAreRefusedByName(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("SMPLX_NEUTRAL.npz");
        SyntheticModel.flameLike(5, 6, 8).write(model);
        byte[] bytes = Files.readAllBytes(model);
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> ModelLoader.load(cut));
        assertTrue(e.getMessage().contains("cut.npz"), e.getMessage());
        Path text = dir.resolve("text.npz");
        Files.writeString(text, "not a zip");
        assertMessage(() -> NpzFile.read(text), "text.npz", "not a .npz");
        assertMessage(() -> NpzFile.read(dir.resolve("absent.npz")), "absent.npz", "no such file");
    }

    @Test
    void modelLoaderNamesMissingAndMisshapenArrays(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.npz");
        SyntheticModel s = SyntheticModel.flameLike(5, 6, 8);
        int v = s.vertexCount();
        s.writer().f8("weights", new double[v * 2], v, 2).write(f); // replaces weights with the wrong joint count
        assertMessage(() -> ModelLoader.load(f), "m.npz:weights", "expected [" + v + ", 5]");
        s.writer().f8("J_regressor", new double[3], 3).write(f);
        assertMessage(() -> ModelLoader.load(f), "m.npz:J_regressor", "has shape [3]");
        s.writer().i8("kintree_table", new long[] { -1, 3, 0, 0, 0, 0, 1, 2, 3, 4 }, 2, 5).write(f);
        assertMessage(() -> ModelLoader.load(f), "m.npz:kintree_table", "joint 1 has parent 3");
        s.writer().i8("f", new long[] { 0, 1, 9999 }, 1, 3).write(f);
        assertMessage(() -> ModelLoader.load(f), "m.npz:f", "index 9999");
    }

    @Test
    void missingArrayIsNamedWithTheFileAndWhatItHolds(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("partial.npz");
        new NpzWriter().f8("v_template", new double[6], 2, 3).write(f);
        assertMessage(() -> ModelLoader.load(f), "partial.npz has no array 'kintree_table'", "v_template");
    }

    @Test
    void folderSettingPicksTheModelAndExplainsWhenNothingIsConfigured(@TempDir Path dir) throws IOException {
        SyntheticModel.flameLike(5, 6, 8).write(dir.resolve("FLAME_NEUTRAL.npz"));
        BodyModel m = ModelFiles.load(dir);
        assertEquals("FLAME_NEUTRAL.npz", m.source);
        assertTrue(m.uvCoords != null && m.landmarkCount() == 8 && m.poseDirs != null);
        assertMessage(() -> ModelFiles.load(dir.resolve("nothing")), "nothing", "no such model file or folder");
        Files.createDirectories(dir.resolve("empty"));
        assertMessage(() -> ModelFiles.load(dir.resolve("empty")), "empty", "holds no model file");
        String saved = System.clearProperty(ModelFiles.PROPERTY);
        try {
            if (System.getenv(ModelFiles.ENV) == null) {
                assertMessage(() -> ModelFiles.configured(""), "model_path", ModelFiles.PROPERTY);
            }
            System.setProperty(ModelFiles.PROPERTY, dir.toString());
            assertEquals(dir, ModelFiles.configured(null));
            assertEquals(Path.of("/x.npz"), ModelFiles.configured("/x.npz")); // the node parameter wins
        } finally {
            if (saved == null) {
                System.clearProperty(ModelFiles.PROPERTY);
            } else {
                System.setProperty(ModelFiles.PROPERTY, saved);
            }
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void assertMessage(Call call, String... parts) {
        Exception e = assertThrows(Exception.class, call::run);
        assertTrue(e instanceof IOException, "expected an IOException, got " + e);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
        }
    }
}
