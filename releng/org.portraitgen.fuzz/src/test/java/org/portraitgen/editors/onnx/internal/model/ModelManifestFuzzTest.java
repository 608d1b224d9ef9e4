package org.portraitgen.editors.onnx.internal.model;

import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** ONNX editor model folders' manifest.json: reading fails only with a ModelFolderException naming the file. */
class ModelManifestFuzzTest {

    private static final Path FOLDER = FuzzSupport.scratch("model-folder");
    private static final Path FILE = FOLDER.resolve(ModelManifest.FILE_NAME);

    @FuzzTest
    void read(byte[] data) {
        FuzzSupport.count("ModelManifest");
        FuzzSupport.write(FILE, data);
        try {
            ModelManifest.read(FOLDER);
        } catch (ModelFolderException e) {
            if (e.getMessage() == null || !e.getMessage().contains(FILE.toString())) {
                throw new AssertionError("ModelFolderException without the file name " + FILE + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
