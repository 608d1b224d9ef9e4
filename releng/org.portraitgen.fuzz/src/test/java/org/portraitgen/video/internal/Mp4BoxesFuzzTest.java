package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** The MP4 box walk of video probing: it fails only with a VideoFileException (TRUNCATED or CORRUPT). */
class Mp4BoxesFuzzTest {

    private static final Path FILE = FuzzSupport.scratch("mp4").resolve("clip.mp4");

    @FuzzTest
    void requireComplete(byte[] data) throws IOException {
        FuzzSupport.count("Mp4Boxes");
        FuzzSupport.write(FILE, data);
        try {
            Mp4Boxes.requireComplete(FILE);
        } catch (VideoFileException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
