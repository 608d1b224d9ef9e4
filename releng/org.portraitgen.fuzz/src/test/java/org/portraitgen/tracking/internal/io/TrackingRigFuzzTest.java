package org.portraitgen.tracking.internal.io;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Tracking folders: {@code tracking.json} is fuzzed beside empty {@code topology.bin} and {@code vertices.bin} (what
 * a rig of no vertices has), so that counts, intrinsics and frames are explored. Reading fails only with an
 * IOException naming the tracking folder or one of its files.
 */
class TrackingRigFuzzTest {

    private static final Path DIR = FuzzSupport.scratch("tracking");

    static {
        FuzzSupport.write(DIR.resolve(TrackingFile.TOPOLOGY), new byte[0]);
        FuzzSupport.write(DIR.resolve(TrackingFile.VERTICES), new byte[0]);
    }

    @FuzzTest
    void read(byte[] data) {
        FuzzSupport.count("TrackingRig");
        FuzzSupport.write(DIR.resolve(TrackingFile.JSON), data);
        try {
            TrackingRig.read(DIR);
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, DIR);
        }
    }
}
