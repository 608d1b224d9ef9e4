package org.portraitgen.editors.onnx.internal.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A model folder's {@value #FILE_NAME}: which model it is and, per role, the file with its SHA-256 and (for ONNX
 * files) the inputs and outputs the export must have. Format (JSON):
 *
 * <pre>
 * {"name": "instruct-pix2pix", "version": "1",
 *  "files": {"unet": {"path": "unet/model.onnx", "sha256": "9f2c…",
 *                     "inputs": [{"name": "sample", "dtype": "float32", "shape": [-1, 8, -1, -1]}, …],
 *                     "outputs": [{"name": "out_sample", "dtype": "float32", "shape": [-1, 4, -1, -1]}]},
 *            "tokenizer_vocab": {"path": "tokenizer/vocab.json", "sha256": "…"}, …}}
 * </pre>
 */
public record ModelManifest(Path file, String name, String version, Map<String, ModelFile> files) {

    public static final String FILE_NAME = "manifest.json";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelManifest {
        files = Map.copyOf(files);
    }

    public static ModelManifest read(Path folder) throws ModelFolderException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ModelFolderException("model folder " + folder + " has no " + FILE_NAME
                    + " (see the README, 'ONNX editors', for the layout)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFolderException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFolderException(file + " must hold a JSON object");
        }
        String name = text(file, root, "name");
        String version = text(file, root, "version");
        JsonNode filesNode = root.get("files");
        if (filesNode == null || !filesNode.isObject()) {
            throw new ModelFolderException(file + ": 'files' must be an object of role → file");
        }
        Map<String, ModelFile> files = new LinkedHashMap<>();
        for (var it = filesNode.fields(); it.hasNext();) {
            var e = it.next();
            String where = "files." + e.getKey();
            JsonNode f = e.getValue();
            String path = text(file, f, where + ".path");
            if (!insideFolder(path)) {
                throw new ModelFolderException(file + ": " + where + ".path must be inside the folder, got '" + path
                        + "'");
            }
            String sha = text(file, f, where + ".sha256").toLowerCase();
            if (!SHA256.matcher(sha).matches()) {
                throw new ModelFolderException(file + ": " + where + ".sha256 must be 64 hex digits, got '" + sha
                        + "'");
            }
            files.put(e.getKey(), new ModelFile(e.getKey(), path, sha, specs(file, f, where, "inputs"),
                    specs(file, f, where, "outputs")));
        }
        return new ModelManifest(file, name, version, files);
    }

    /** A relative path that stays inside the folder (no "..", no root, no characters the file system refuses). */
    private static boolean insideFolder(String path) {
        try {
            Path p = Path.of(path);
            return !p.isAbsolute() && !p.normalize().startsWith("..") && !p.normalize().toString().isEmpty();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static List<TensorSpec> specs(Path file, JsonNode f, String where, String key)
            throws ModelFolderException {
        List<TensorSpec> specs = new ArrayList<>();
        JsonNode list = f.get(key);
        if (list == null) {
            return specs;
        }
        if (!list.isArray()) {
            throw new ModelFolderException(file + ": " + where + "." + key + " must be an array");
        }
        for (int i = 0; i < list.size(); i++) {
            String at = where + "." + key + "[" + i + "]";
            JsonNode s = list.get(i);
            JsonNode shape = s.get("shape");
            if (shape == null || !shape.isArray()) {
                throw new ModelFolderException(file + ": " + at + ".shape must be an array of sizes (-1: dynamic)");
            }
            long[] dims = new long[shape.size()];
            for (int d = 0; d < dims.length; d++) {
                if (!shape.get(d).canConvertToLong()) {
                    throw new ModelFolderException(file + ": " + at + ".shape[" + d + "] must be a whole number");
                }
                dims[d] = shape.get(d).asLong();
            }
            specs.add(new TensorSpec(text(file, s, at + ".name"), text(file, s, at + ".dtype"), dims));
        }
        return specs;
    }

    private static String text(Path file, JsonNode node, String path) throws ModelFolderException {
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = node.get(leaf);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ModelFolderException(file + ": '" + path + "' is missing or not a string");
        }
        return v.asText();
    }
}
