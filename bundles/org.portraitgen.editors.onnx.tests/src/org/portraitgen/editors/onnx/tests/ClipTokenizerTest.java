package org.portraitgen.editors.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.editors.onnx.internal.text.ClipTokenizer;

/** Token ids of CLIP's tokenizer (openai/clip-vit-large-patch14, Stable Diffusion 1.x) for known strings. */
class ClipTokenizerTest {

    static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        Path dir = ClipVocabulary.folder();
        tokenizer = ClipTokenizer.load(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
    }

    @Test
    void knownPromptsGiveCLIPsIds() {
        // ids as Hugging Face's CLIPTokenizer gives them (e.g. the diffusers docs' "a photo of a cat")
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 2368, 49407}, tokenizer.tokens("a photo of a cat"));
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 1929, 49407}, tokenizer.tokens("a photo of a dog"));
        assertArrayEquals(new int[] {49406, 3306, 1002, 49407}, tokenizer.tokens("hello world"));
        assertArrayEquals(new int[] {49406, 49407}, tokenizer.tokens(""));
    }

    @Test
    void caseAndWhitespaceAreNormalised() {
        assertArrayEquals(tokenizer.tokens("a photo of a cat"), tokenizer.tokens("  A   Photo of\ta CAT "));
    }

    @Test
    void unknownWordsSplitIntoSubwordsThatRoundTrip() {
        int[] ids = tokenizer.tokens("turn him into a bronzeified statue!!");
        assertTrue(ids.length > 8, Arrays.toString(ids));
        assertEquals(49406, ids[0]);
        assertEquals(49407, ids[ids.length - 1]);
        for (int i = 1; i < ids.length - 1; i++) {
            assertTrue(ids[i] < 49406, "no special token inside: " + Arrays.toString(ids));
        }
    }

    @Test
    void encodePadsWithTheEndTokenAndTruncatesTo77() {
        int[] padded = tokenizer.encode("a photo of a cat");
        assertEquals(77, padded.length);
        assertEquals(2368, padded[5]);
        for (int i = 6; i < 77; i++) {
            assertEquals(49407, padded[i]);
        }
        int[] long_ = tokenizer.encode("cat ".repeat(200));
        assertEquals(77, long_.length);
        assertEquals(49406, long_[0]);
        assertEquals(2368, long_[75]);
        assertEquals(49407, long_[76]);
    }

    @Test
    void aVocabularyWithoutSpecialTokensIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("vocab.json"), "{\"a</w>\": 0}");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
        IOException e = assertThrows(IOException.class, () -> ClipTokenizer.load(dir.resolve("vocab.json"),
                dir.resolve("merges.txt")));
        assertTrue(e.getMessage().contains("vocab.json") && e.getMessage().contains("<|startoftext|>"),
                e.getMessage());
    }
}
