package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.field.GaussianFieldService.FieldHandle;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.field.internal.CpuGaussianFieldService;
import org.portraitgen.field.internal.PlyExport;
import org.portraitgen.field.internal.PlyImport;
import org.portraitgen.field.internal.bind.UvSampler;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.GaussianField;

class ServiceAndPlyTest {

    @Test
    void serviceLoadsRendersAndReleasesAField(@TempDir Path dir) throws IOException {
        SphereRig rig = new SphereRig(3, 5, 2, 20);
        GaussianField field = GaussianField.initialise(
                UvSampler.sample(rig.vertexCount(), rig.triangles(), rig.uvs(), 8), rig.state(0).vertices(), 32, 1);
        Path ckpt = dir.resolve("f.ckpt");
        Checkpoints.write(ckpt, field, null);
        CpuGaussianFieldService service = new CpuGaussianFieldService();
        service.activate();
        try {
            FieldHandle h = service.load(ckpt);
            assertEquals(field.local.count, h.gaussians());
            FloatImage img = service.render(h, rig.state(1));
            assertEquals(20, img.width());
            assertEquals(3, img.channels());
            for (float v : img.data()) {
                assertTrue(v > 0 && v < 1, "sigmoid output");
            }
            service.save(h, dir.resolve("g.ckpt"));
            assertEquals(field.local.count, Checkpoints.read(dir.resolve("g.ckpt")).field().local.count);
            service.release(h);
            assertThrows(IllegalArgumentException.class, () -> service.render(h, rig.state(0)));
        } finally {
            service.deactivate();
        }
    }

    @Test
    void plyHasThe3dgsLayout(@TempDir Path dir) throws IOException {
        Gaussians g = Scenes.random(3, 32, 4);
        g.features[32] = 0.75; // Gaussian 1, channel 0
        Path ply = dir.resolve("f.ply");
        PlyExport.write(g, ply);
        byte[] bytes = Files.readAllBytes(ply);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int end = text.indexOf("end_header\n") + "end_header\n".length();
        String header = text.substring(0, end);
        assertTrue(header.contains("element vertex 3"));
        for (String p : new String[] {"x", "nx", "f_dc_0", "f_dc_2", "opacity", "scale_2", "rot_3"}) {
            assertTrue(header.contains("property float " + p + "\n"), p);
        }
        assertEquals(end + 3 * 17 * 4, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes, end + 17 * 4, 17 * 4).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((float) g.means[3], b.getFloat(0));
        assertEquals(0.75, 0.5 + 0.28209479177387814 * b.getFloat(6 * 4), 1e-6, "f_dc_0 decodes to channel 0");
        assertEquals((float) g.opacityLogits[1], b.getFloat(9 * 4));
        assertEquals((float) g.logScales[3], b.getFloat(10 * 4));
    }

    @Test
    void plyReadsBackWhatWasExported(@TempDir Path dir) throws IOException {
        Gaussians g = Scenes.random(5, 4, 7);
        Path ply = dir.resolve("f.ply");
        PlyExport.write(g, ply);
        Gaussians back = PlyImport.read(ply, 5);
        assertEquals(5, back.count);
        for (int i = 0; i < 5; i++) {
            double n = Math.sqrt(g.quats[4 * i] * g.quats[4 * i] + g.quats[4 * i + 1] * g.quats[4 * i + 1]
                    + g.quats[4 * i + 2] * g.quats[4 * i + 2] + g.quats[4 * i + 3] * g.quats[4 * i + 3]);
            for (int k = 0; k < 3; k++) { // float32 in the file: relative 1e-6
                assertEquals(g.means[3 * i + k], back.means[3 * i + k], 1e-6 * (1 + Math.abs(g.means[3 * i + k])));
                assertEquals(g.logScales[3 * i + k], back.logScales[3 * i + k], 1e-6 * (1 + Math.abs(g.logScales[3 * i + k])));
                assertEquals(g.features[4 * i + k], back.features[3 * i + k], 1e-5);
            }
            for (int k = 0; k < 4; k++) {
                assertEquals(g.quats[4 * i + k] / n, back.quats[4 * i + k], 1e-6);
            }
            assertEquals(g.opacityLogits[i], back.opacityLogits[i], 1e-6 * (1 + Math.abs(g.opacityLogits[i])));
        }
    }

    @Test
    void plyOverTheGaussianLimitOrCutShortIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path ply = dir.resolve("f.ply");
        PlyExport.write(Scenes.random(4, 3, 1), ply);
        IOException tooMany = assertThrows(IOException.class, () -> PlyImport.read(ply, 3));
        assertTrue(tooMany.getMessage().contains(ply.toString()) && tooMany.getMessage().contains("limit of 3"),
                tooMany.getMessage());
        byte[] bytes = Files.readAllBytes(ply);
        Files.write(ply, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        IOException cut = assertThrows(IOException.class, () -> PlyImport.read(ply, 100));
        assertTrue(cut.getMessage().contains(ply.toString()) && cut.getMessage().contains("bytes"), cut.getMessage());
    }
}
