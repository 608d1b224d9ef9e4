package org.portraitgen.editors.onnx.internal.text;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * CLIP tokenizer files: the input is split at its first NUL byte into vocab.json and merges.txt; loading fails only
 * with an IOException naming the file at fault, and a loaded tokenizer encodes a prompt into 77 ids.
 */
class ClipTokenizerFuzzTest {

    private static final Path VOCAB = FuzzSupport.scratch("clip").resolve("vocab.json");
    private static final Path MERGES = FuzzSupport.scratch("clip").resolve("merges.txt");

    @FuzzTest
    void load(byte[] data) {
        FuzzSupport.count("ClipTokenizer");
        int cut = 0;
        while (cut < data.length && data[cut] != 0) {
            cut++;
        }
        FuzzSupport.write(VOCAB, java.util.Arrays.copyOfRange(data, 0, cut));
        FuzzSupport.write(MERGES, java.util.Arrays.copyOfRange(data, Math.min(data.length, cut + 1), data.length));
        ClipTokenizer tokenizer;
        try {
            tokenizer = ClipTokenizer.load(VOCAB, MERGES);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (!m.contains(VOCAB.toString()) && !m.contains(MERGES.toString())) {
                throw new AssertionError("IOException without a file name: " + m, e);
            }
            return;
        }
        if (tokenizer.encode("a photo of a cat, ÄÖ 123 !!").length != ClipTokenizer.CONTEXT_LENGTH) {
            throw new AssertionError("encode did not give " + ClipTokenizer.CONTEXT_LENGTH + " ids");
        }
    }
}
