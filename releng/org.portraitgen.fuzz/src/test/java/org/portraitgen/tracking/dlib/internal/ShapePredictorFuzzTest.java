package org.portraitgen.tracking.dlib.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * dlib shape_predictor files (dlib's serialize.h encodings). Seeds: a two-part model of one level that dlib 19.24
 * itself reads ({@code tiny-two-parts.dat}) and the first 3000 bytes of the 68-point model. Reading fails only with
 * an IOException naming the file, and never allocates more than the file could describe.
 */
class ShapePredictorFuzzTest {

    private static final Path FILE = FuzzSupport.scratch("dlib").resolve("model.dat");

    @FuzzTest
    void read(byte[] data) {
        FuzzSupport.count("ShapePredictor");
        FuzzSupport.write(FILE, data);
        try {
            ShapePredictor.read(FILE);
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
