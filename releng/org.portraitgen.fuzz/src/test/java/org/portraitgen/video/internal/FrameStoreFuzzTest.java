package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Frame store {@code frames.json}: opening a store fails only with an IOException naming the file. */
class FrameStoreFuzzTest {

    private static final Path DIR = FuzzSupport.scratch("framestore").toAbsolutePath().normalize();
    private static final Path FILE = DIR.resolve(FramesJson.FILE_NAME);

    @FuzzTest
    void open(byte[] data) {
        FuzzSupport.count("FrameStore");
        FuzzSupport.write(FILE, data);
        try {
            FrameStoreImpl.open(DIR);
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
