package org.portraitgen.field.internal.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Field checkpoints: reading fails only with an IOException naming the file. The harness appends the CRC-32C the
 * format ends with, so that mutations reach the body instead of stopping at the checksum; the seeds are therefore
 * checkpoint bodies without their last 8 bytes.
 */
class CheckpointsFuzzTest {

    private static final Path FILE = FuzzSupport.scratch("checkpoints").resolve("field.ckpt");

    @FuzzTest
    void read(byte[] body) {
        FuzzSupport.count("Checkpoints");
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] file = ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array();
        FuzzSupport.write(FILE, file);
        try {
            Checkpoints.read(FILE);
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, FILE);
        }
    }
}
