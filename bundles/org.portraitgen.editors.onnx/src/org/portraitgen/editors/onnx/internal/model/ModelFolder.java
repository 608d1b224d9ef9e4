package org.portraitgen.editors.onnx.internal.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;

/**
 * An opened model folder: manifest read, every required file present with the SHA-256 the manifest lists, every ONNX
 * session's signature equal to the manifest's and sufficient for the pipeline. Opening either succeeds completely
 * or fails with one {@link ModelFolderException} listing every problem found (file path, input name, expected
 * against actual) and closes what it had opened.
 */
public final class ModelFolder implements AutoCloseable {

    private final Path folder;
    private final ModelManifest manifest;
    private final Map<String, OrtSession> sessions;
    private final Map<String, Path> files;

    private ModelFolder(Path folder, ModelManifest manifest, Map<String, OrtSession> sessions,
            Map<String, Path> files) {
        this.folder = folder;
        this.manifest = manifest;
        this.sessions = sessions;
        this.files = files;
    }

    public static ModelFolder open(Path folder, ModelRequirements needs, int threads) throws ModelFolderException {
        if (!Files.isDirectory(folder)) {
            throw new ModelFolderException("model folder " + folder + " does not exist (see the README, 'ONNX "
                    + "editors', for how to export the model and where to put it)");
        }
        ModelManifest manifest = ModelManifest.read(folder);
        List<String> problems = new ArrayList<>();
        Map<String, Path> files = new LinkedHashMap<>();
        for (var e : needs.fileRoles().entrySet()) {
            checkFile(folder, manifest, e.getKey(), e.getValue(), problems).ifPresent(p -> files.put(e.getKey(), p));
        }
        Map<String, Path> models = new LinkedHashMap<>();
        for (String role : needs.onnxRoles().keySet()) {
            checkFile(folder, manifest, role, "ONNX model", problems).ifPresent(p -> models.put(role, p));
        }
        if (!problems.isEmpty()) {
            throw new ModelFolderException(String.join("\n", problems));
        }
        Map<String, OrtSession> sessions = new LinkedHashMap<>();
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            for (var e : models.entrySet()) {
                OrtSession s = createSession(env, e.getValue(), threads);
                sessions.put(e.getKey(), s);
                ModelFile declared = manifest.files().get(e.getKey());
                SignatureCheck.againstManifest(e.getValue(), declared, actual(s.getInputInfo()),
                        actual(s.getOutputInfo()), problems);
                SignatureCheck.againstPipeline(manifest.file(), declared, needs.onnxRoles().get(e.getKey()),
                        problems);
            }
            if (!problems.isEmpty()) {
                throw new ModelFolderException(String.join("\n", problems));
            }
            files.putAll(models);
            return new ModelFolder(folder, manifest, sessions, files);
        } catch (ModelFolderException | RuntimeException e) {
            closeAll(sessions.values());
            throw e;
        } catch (OrtException e) {
            closeAll(sessions.values());
            throw new ModelFolderException("ONNX Runtime could not query a model in " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    private static OrtSession createSession(OrtEnvironment env, Path file, int threads)
            throws ModelFolderException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new ModelFolderException(file + " is not a model ONNX Runtime can load: " + e.getMessage(), e);
        }
    }

    private static java.util.Optional<Path> checkFile(Path folder, ModelManifest manifest, String role, String what,
            List<String> problems) {
        ModelFile f = manifest.files().get(role);
        if (f == null) {
            problems.add(manifest.file() + " lists no '" + role + "' file (" + what + "); it lists "
                    + manifest.files().keySet());
            return java.util.Optional.empty();
        }
        Path p = folder.resolve(f.path()).normalize();
        if (!Files.isRegularFile(p)) {
            problems.add(p + " is missing (the manifest's '" + role + "', " + what + ")");
            return java.util.Optional.empty();
        }
        try { // a link inside the folder must not load a file from elsewhere
            Path real = p.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                problems.add(p + " is a link to " + real + ", outside the model folder " + folder
                        + "; models are only loaded from their folder");
                return java.util.Optional.empty();
            }
        } catch (IOException e) {
            problems.add(p + " cannot be resolved: " + e.getMessage());
            return java.util.Optional.empty();
        }
        String actual = sha256(p, problems);
        if (actual != null && !actual.equals(f.sha256())) {
            problems.add(p + " has SHA-256 " + actual + " but the manifest's '" + role + "' expects " + f.sha256()
                    + " (a different or damaged file)");
            return java.util.Optional.empty();
        }
        return actual == null ? java.util.Optional.empty() : java.util.Optional.of(p);
    }

    static String sha256(Path p, List<String> problems) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            problems.add(p + " cannot be read: " + e.getMessage());
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, TensorSpec> actual(Map<String, NodeInfo> infos) {
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        for (var e : infos.entrySet()) {
            ValueInfo v = e.getValue().getInfo();
            if (v instanceof TensorInfo t) {
                specs.put(e.getKey(), new TensorSpec(e.getKey(), dtype(t), t.getShape()));
            } else {
                specs.put(e.getKey(), new TensorSpec(e.getKey(), "non-tensor " + v, new long[0]));
            }
        }
        return specs;
    }

    static String dtype(TensorInfo t) {
        return switch (t.type) {
            case FLOAT -> "float32";
            case FLOAT16 -> "float16";
            case DOUBLE -> "float64";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case INT8 -> "int8";
            case UINT8 -> "uint8";
            case BOOL -> "bool";
            default -> t.type.toString().toLowerCase();
        };
    }

    private static void closeAll(Iterable<OrtSession> sessions) {
        for (OrtSession s : sessions) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing after a failed open: the first error is the one to report
            }
        }
    }

    public Path folder() {
        return folder;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public OrtSession session(String role) {
        OrtSession s = sessions.get(role);
        if (s == null) {
            throw new IllegalStateException("role '" + role + "' was not required when " + folder + " was opened");
        }
        return s;
    }

    public Path file(String role) {
        return files.get(role);
    }

    /** The element type of an input as the model declares it (for inputs whose dtype may vary between exports). */
    public String inputType(String role, String input) throws OrtException {
        return dtype((TensorInfo) session(role).getInputInfo().get(input).getInfo());
    }

    @Override
    public void close() {
        closeAll(sessions.values());
    }
}
