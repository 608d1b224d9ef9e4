package org.portraitgen.editors.onnx.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.portraitgen.editors.onnx.internal.text.ClipTokenizer;

/**
 * The real CLIP vocabulary in Hugging Face's layout, made at test time from OpenAI's bpe_simple_vocab_16e6.txt.gz
 * (MIT, committed under data/) exactly as openai/CLIP's simple_tokenizer.py builds its encoder: the 256 byte
 * symbols, the same with {@code </w>}, the first 48,894 merges joined, then the two special tokens (ids 0–49,407).
 */
final class ClipVocabulary {

    private static Path folder;

    private ClipVocabulary() {
    }

    static synchronized Path folder() throws IOException {
        if (folder != null) {
            return folder;
        }
        Path gz = Path.of(System.getProperty("portraitgen.project.root"),
                "bundles/org.portraitgen.editors.onnx.tests/data/bpe_simple_vocab_16e6.txt.gz");
        List<String> lines;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
        List<String> merges = lines.subList(1, 49152 - 256 - 2 + 1);
        String[] bytes = ClipTokenizer.byteToUnicode();
        List<String> order = new ArrayList<>();
        // simple_tokenizer.py's bytes_to_unicode() dict order: printable bytes first, then the others
        for (int b = 0; b < 256; b++) {
            if (bytes[b].charAt(0) == (char) b) {
                order.add(bytes[b]);
            }
        }
        for (int b = 0; b < 256; b++) {
            if (bytes[b].charAt(0) != (char) b) {
                order.add(bytes[b]);
            }
        }
        List<String> vocab = new ArrayList<>(order);
        for (String s : order) {
            vocab.add(s + "</w>");
        }
        for (String m : merges) {
            vocab.add(m.replace(" ", ""));
        }
        vocab.add("<|startoftext|>");
        vocab.add("<|endoftext|>");
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            ids.put(vocab.get(i), i);
        }
        Path dir = Files.createTempDirectory("clip-vocab");
        new ObjectMapper().writeValue(dir.resolve("vocab.json").toFile(), ids);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", merges) + "\n");
        folder = dir;
        return dir;
    }
}
