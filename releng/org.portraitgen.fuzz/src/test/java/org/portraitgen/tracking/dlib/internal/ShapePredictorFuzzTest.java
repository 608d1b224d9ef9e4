package org.portraitgen.tracking.dlib.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * dlib shape_predictor files (dlib's serialize.h encodings). Seeds: two small synthetic models that dlib 19.24 itself
 * reads (two parts, one level of depth-1 trees; three parts, two levels of depth-2 trees); the 68-point model is not
 * copied here (its training data's terms). Reading fails only with an IOException naming the file, and never
 * allocates more than the file could describe.
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
