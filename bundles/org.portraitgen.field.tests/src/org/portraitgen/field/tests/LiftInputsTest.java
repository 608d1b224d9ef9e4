package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LiftInputs;
import org.portraitgen.field.internal.train.TrainingFrame;

/** The lift inputs file the lift benchmark trains from: round trip, 8-bit precision, and corrupt files. */
class LiftInputsTest {
    private static final SphereRig RIG = new SphereRig(5, 8, 3, 20);

    private static LiftInputs inputs(boolean masks) {
        List<TrainingFrame> frames = new ArrayList<>();
        List<TrainingFrame> rendered;
        try (Workers workers = new Workers(2)) {
            rendered = LiftTest.syntheticFrames(RIG, 3, workers);
        }
        for (TrainingFrame f : rendered) {
            RigState s = f.state();
            // an expression vector on one frame, none on the others: both are kept
            RigState withExpression = s.frame() == 1
                    ? new RigState(s.frame(), s.camera(), s.vertices(), new float[] {0.25f, -1.5f}, false) : s;
            frames.add(new TrainingFrame(withExpression, f.rgb(), masks ? f.mask() : null));
        }
        return LiftInputs.of(RIG, frames);
    }

    @Test
    void roundTripKeepsRigExactlyAndImagesTo8Bits(@TempDir Path dir) throws IOException {
        for (boolean masks : new boolean[] {true, false}) {
            LiftInputs in = inputs(masks);
            Path file = dir.resolve("d0-" + masks + ".lift");
            in.write(file);
            LiftInputs out = LiftInputs.read(file);
            assertEquals(in.vertexCount(), out.vertexCount());
            assertArrayEquals(in.triangles(), out.triangles());
            assertArrayEquals(in.uvs(), out.uvs());
            assertEquals(masks, out.hasMasks());
            assertEquals(3, out.frames().size());
            for (int i = 0; i < 3; i++) {
                RigState a = in.frames().get(i).state();
                RigState b = out.frames().get(i).state();
                assertEquals(a.frame(), b.frame());
                assertEquals(a.tracked(), b.tracked());
                assertEquals(a.camera().width(), b.camera().width());
                assertEquals(a.camera().height(), b.camera().height());
                assertArrayEquals(new double[] {a.camera().fx(), a.camera().fy(), a.camera().cx(), a.camera().cy()},
                        new double[] {b.camera().fx(), b.camera().fy(), b.camera().cx(), b.camera().cy()});
                assertArrayEquals(a.camera().rotation(), b.camera().rotation());
                assertArrayEquals(a.camera().translation(), b.camera().translation());
                assertArrayEquals(a.vertices(), b.vertices());
                assertArrayEquals(a.expression(), b.expression());
                assertEightBits(in.frames().get(i).rgb(), out.frames().get(i).rgb());
                if (masks) {
                    assertEightBits(in.frames().get(i).mask(), out.frames().get(i).mask());
                } else {
                    assertNull(out.frames().get(i).mask());
                }
            }
            // the field the benchmark starts from is the one the Lift node would start from
            TriangleBinding bin = in.binding(9);
            TriangleBinding bout = out.binding(9);
            assertArrayEquals(bin.triangleOf, bout.triangleOf);
            GaussianField fin = in.freshField(bin, 4, 7);
            GaussianField fout = out.freshField(bout, 4, 7);
            assertArrayEquals(fin.local.logScales, fout.local.logScales);
            assertArrayEquals(fin.renderer.parameters()[0], fout.renderer.parameters()[0]);
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left");
        }
    }

    /** Every value is the nearest of the 256 levels: error at most half a level, and exact on a second trip. */
    private static void assertEightBits(FloatImage original, FloatImage read) {
        assertEquals(original.width(), read.width());
        assertEquals(original.channels(), read.channels());
        float[] a = original.data();
        float[] b = read.data();
        boolean someNotOnALevel = false;
        for (int i = 0; i < a.length; i++) {
            assertEquals(Math.round(a[i] * 255f) / 255f, b[i], 0f, "value " + i);
            someNotOnALevel |= a[i] * 255f != Math.round(a[i] * 255f);
        }
        assertTrue(someNotOnALevel, "the synthetic frames exercise rounding");
    }

    @Test
    void missingCorruptTruncatedOrForeignFilesAreClearErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("in.lift");
        IOException missing = assertThrows(IOException.class, () -> LiftInputs.read(file));
        assertTrue(missing.getMessage().contains(file.toString()) && missing.getMessage().contains("does not exist"),
                missing.getMessage());

        inputs(true).write(file);
        byte[] good = Files.readAllBytes(file);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(file, flipped);
        IOException corrupt = assertThrows(IOException.class, () -> LiftInputs.read(file));
        assertTrue(corrupt.getMessage().contains(file.toString()) && corrupt.getMessage().contains("corrupt"),
                corrupt.getMessage());

        Files.write(file, Arrays.copyOf(good, good.length - 100));
        IOException truncated = assertThrows(IOException.class, () -> LiftInputs.read(file));
        assertTrue(truncated.getMessage().contains("corrupt"), truncated.getMessage());

        Files.writeString(file, "ply\nformat binary_little_endian 1.0\nend_header\n");
        IOException foreign = assertThrows(IOException.class, () -> LiftInputs.read(file));
        assertTrue(foreign.getMessage().contains("not a lift inputs file"), foreign.getMessage());

        Files.write(file, good);
        assertEquals(3, LiftInputs.read(file).frames().size(), "the intact file still reads");
    }
}
