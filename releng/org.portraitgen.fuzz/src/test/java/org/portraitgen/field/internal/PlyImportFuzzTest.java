package org.portraitgen.field.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * 3DGS .ply files: reading fails only with an IOException naming the file, never allocates for more Gaussians than
 * the limit, and what it returns has the count its header declared.
 */
class PlyImportFuzzTest {

    private static final Path FILE = FuzzSupport.scratch("ply").resolve("field.ply");
    private static final int LIMIT = 1000;

    @FuzzTest
    void read(byte[] data) {
        FuzzSupport.count("PlyImport");
        FuzzSupport.write(FILE, data);
        try {
            Gaussians g = PlyImport.read(FILE, LIMIT);
            if (g.count > LIMIT || g.means.length != 3 * g.count || g.features.length != 3 * g.count) {
                throw new AssertionError("inconsistent Gaussians: " + g.count);
            }
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
