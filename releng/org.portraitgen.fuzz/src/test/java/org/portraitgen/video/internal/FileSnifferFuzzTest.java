package org.portraitgen.video.internal;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** File sniffing runs on whatever the user picked: it names a kind for any bytes and never throws. */
class FileSnifferFuzzTest {

    @FuzzTest
    void sniff(byte[] data) {
        FuzzSupport.count("FileSniffer");
        if (FileSniffer.sniff(data) == null) {
            throw new AssertionError("no kind");
        }
    }
}
