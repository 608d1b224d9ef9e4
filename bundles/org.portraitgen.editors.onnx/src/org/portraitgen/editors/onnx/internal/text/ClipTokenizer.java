package org.portraitgen.editors.onnx.internal.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * CLIP's byte-level BPE tokenizer (openai/CLIP simple_tokenizer.py, Hugging Face CLIPTokenizer) reading a model
 * folder's {@code vocab.json} (token → id) and {@code merges.txt} (ranked pairs). Text is lower-cased and its
 * whitespace collapsed (ftfy's mojibake repair is left out: prompts are typed, not scraped); each word's UTF-8 bytes
 * are mapped to printable characters, the last one marked {@code </w>}, and pairs merged by rank. Sequences are
 * {@code <|startoftext|>} tokens {@code <|endoftext|>}, cut to the context length and padded with the end token, as
 * Stable Diffusion's tokenizer pads.
 */
public final class ClipTokenizer {

    public static final int CONTEXT_LENGTH = 77;
    private static final Pattern WORDS = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final String[] BYTE_TO_UNICODE = byteToUnicode();

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> ranks;
    private final int start;
    private final int end;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private ClipTokenizer(Map<String, Integer> vocab, Map<String, Integer> ranks) {
        this.vocab = vocab;
        this.ranks = ranks;
        this.start = vocab.get("<|startoftext|>");
        this.end = vocab.get("<|endoftext|>");
    }

    /** Reads the two files; any problem is an IOException that names the file. */
    public static ClipTokenizer load(Path vocabJson, Path mergesTxt) throws IOException {
        return new ClipTokenizer(readVocabulary(vocabJson), readMerges(mergesTxt));
    }

    private static Map<String, Integer> readVocabulary(Path vocabJson) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(vocabJson.toFile());
        } catch (IOException e) {
            throw new IOException(vocabJson + " is not readable JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(vocabJson + " must be a JSON object of token → id");
        }
        Map<String, Integer> vocab = new HashMap<>(root.size() * 2);
        for (var it = root.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().canConvertToInt()) {
                throw new IOException(vocabJson + ": id of '" + e.getKey() + "' is not a whole number");
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        for (String special : List.of("<|startoftext|>", "<|endoftext|>")) {
            if (!vocab.containsKey(special)) {
                throw new IOException(vocabJson + " has no " + special + " token: not a CLIP vocabulary");
            }
        }
        return vocab;
    }

    private static Map<String, Integer> readMerges(Path mergesTxt) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(mergesTxt + " is not readable UTF-8 text: " + e, e);
        }
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#version") || line.isBlank()) {
                continue;
            }
            String[] pair = line.split(" ");
            if (pair.length != 2 || pair[0].isEmpty()) {
                throw new IOException(mergesTxt + " line " + (i + 1) + ": expected two symbols, got '" + line + "'");
            }
            ranks.putIfAbsent(pair[0] + " " + pair[1], ranks.size());
        }
        return ranks;
    }

    /** Token ids with start and end tokens, not padded. */
    public int[] tokens(String text) {
        List<Integer> ids = new ArrayList<>();
        ids.add(start);
        String clean = text.strip().replaceAll("\\s+", " ").toLowerCase();
        Matcher m = WORDS.matcher(clean);
        while (m.find()) {
            for (int id : bpe(m.group())) {
                ids.add(id);
            }
        }
        ids.add(end);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@link #tokens} cut to {@value #CONTEXT_LENGTH} (keeping the end token) and padded with the end token. */
    public int[] encode(String text) {
        int[] ids = tokens(text);
        int[] out = new int[CONTEXT_LENGTH];
        Arrays.fill(out, end);
        System.arraycopy(ids, 0, out, 0, Math.min(ids.length, CONTEXT_LENGTH));
        out[CONTEXT_LENGTH - 1] = end; // a cut sequence still ends with the end token
        return out;
    }

    private int[] bpe(String word) {
        if (word.equals("<|startoftext|>")) {
            return new int[] {start};
        }
        if (word.equals("<|endoftext|>")) {
            return new int[] {end};
        }
        return cache.computeIfAbsent(word, this::merge);
    }

    private int[] merge(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        List<String> symbols = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            symbols.add(BYTE_TO_UNICODE[b & 0xFF]);
        }
        symbols.set(symbols.size() - 1, symbols.get(symbols.size() - 1) + "</w>");
        while (symbols.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer r = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            // merge every occurrence of the best pair, left to right, as the reference does
            String a = symbols.get(best);
            String b = symbols.get(best + 1);
            List<String> merged = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(a) && symbols.get(i + 1).equals(b)) {
                    merged.add(a + b);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        int[] ids = new int[symbols.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = vocab.get(symbols.get(i));
            // byte-level BPE covers every byte, so only a truncated vocabulary can miss a symbol
            ids[i] = id != null ? id : end;
        }
        return ids;
    }

    /** GPT-2/CLIP's reversible map of the 256 byte values to printable characters. */
    public static String[] byteToUnicode() {
        String[] map = new String[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            map[b] = printable[b] ? String.valueOf((char) b) : String.valueOf((char) (256 + n++));
        }
        return map;
    }
}
