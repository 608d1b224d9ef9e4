package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The WAV reader the encoder muxes audio with: a header it cannot use is an IOException naming the file; one it
 * accepts is read to the end, in whole sample frames, without more samples than the file holds.
 */
class WavReaderFuzzTest {

    private static final Path FILE = FuzzSupport.scratch("wav").resolve("audio.wav");

    @FuzzTest
    void read(byte[] data) {
        FuzzSupport.count("WavReader");
        FuzzSupport.write(FILE, data);
        try (WavReader wav = new WavReader(FILE)) {
            long samples = 0;
            for (ShortBuffer b = wav.read(1024); b.hasRemaining(); b = wav.read(1024)) {
                if (b.remaining() % wav.channels() != 0) {
                    throw new AssertionError("partial sample frame: " + b.remaining() + " samples");
                }
                samples += b.remaining();
                if (2 * samples > data.length) {
                    throw new AssertionError(samples + " samples from " + data.length + " bytes");
                }
            }
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
