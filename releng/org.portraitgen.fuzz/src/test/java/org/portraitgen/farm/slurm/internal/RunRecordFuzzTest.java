package org.portraitgen.farm.slurm.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Farm run records ({@code cache/farm/RUN/run.json}): reading fails only with an IOException naming the file. */
class RunRecordFuzzTest {

    private static final Path CACHE = FuzzSupport.scratch("farm-cache");
    private static final Path FILE = RunRecord.runDir(CACHE, "run1").resolve("run.json");

    @FuzzTest
    void read(byte[] data) {
        FuzzSupport.count("RunRecord");
        FuzzSupport.write(FILE, data);
        try {
            RunRecord.read(CACHE, "run1");
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
