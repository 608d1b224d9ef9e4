package org.portraitgen.tracking.smplx.internal.npy;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;
import org.portraitgen.tracking.smplx.internal.model.ModelLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * User-supplied SMPL-X / FLAME model files: the .npz (zip of .npy arrays) reader and the model loader on top of it.
 * Every array the file holds is parsed and converted, then the file is loaded as a model; anything unusable must be
 * an IOException naming the file. The same bytes are also read as a single .npy, because zip CRCs reject almost
 * every mutation before the array parser sees it.
 */
class NpzModelFuzzTest {

    private static final Path FILE = FuzzSupport.scratch("smplx").resolve("model.npz");
    private static final Path ARRAY = FuzzSupport.scratch("smplx").resolve("array.npy");

    @FuzzTest
    void read(byte[] data) {
        FuzzSupport.count("NpzModel");
        FuzzSupport.write(ARRAY, data);
        try {
            NpyArray a = NpzFile.read(ARRAY).array("array");
            if (a.size() < 1 << 20) {
                a.toDoubles();
            }
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, ARRAY);
        }
        FuzzSupport.write(FILE, data);
        try {
            NpzFile npz = NpzFile.read(FILE);
            for (String name : npz.names()) {
                try {
                    NpyArray a = npz.array(name);
                    if (a.size() < 1 << 20) {
                        a.toDoubles();
                        if (a.isInteger()) {
                            a.toInts();
                        }
                    }
                } catch (NpyFormatException e) {
                    FuzzSupport.requireNamesFile(e, FILE);
                }
            }
            ModelLoader.load(FILE);
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
