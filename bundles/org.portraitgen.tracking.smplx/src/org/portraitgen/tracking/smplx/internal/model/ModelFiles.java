package org.portraitgen.tracking.smplx.internal.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.portraitgen.tracking.smplx.internal.npy.NpyFormatException;

/**
 * Where the user's model files are: the node parameter {@code model_path} if set, else the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENV}. Each names a model {@code .npz} or a folder; in a
 * folder the first of {@link #MODEL_NAMES} that exists is taken (else the only {@code .npz} with a template), with
 * {@link #LANDMARK_NAMES} and {@link #UV_NAMES} beside it when present.
 */
public final class ModelFiles {

    public static final String PROPERTY = "portraitgen.smplx.models";
    public static final String ENV = "PORTRAITGEN_SMPLX_MODELS";
    static final List<String> MODEL_NAMES = List.of("SMPLX_NEUTRAL.npz", "SMPLX_FEMALE.npz", "SMPLX_MALE.npz",
            "FLAME_NEUTRAL.npz", "flame2023.npz", "generic_model.npz", "SMPL_NEUTRAL.npz", "SMPLH_NEUTRAL.npz");
    static final List<String> LANDMARK_NAMES = List.of("mediapipe_landmark_embedding.npz");
    static final List<String> UV_NAMES = List.of("smplx_uv.npz", "smplx_uv.obj", "FLAME_texture.npz",
            "head_template.obj");

    private ModelFiles() {
    }

    /** The configured location, or an error saying how to set one. */
    public static Path configured(String parameter) throws IOException {
        String where = parameter != null && !parameter.isBlank() ? parameter
                : System.getProperty(PROPERTY, System.getenv(ENV));
        if (where == null || where.isBlank()) {
            throw new NpyFormatException("no SMPL-X/SMPL/FLAME model configured: set the Track node's 'model_path', the"
                    + " system property " + PROPERTY + " or the environment variable " + ENV + " to your model .npz"
                    + " or its folder (the models are downloaded by each user: see the README)");
        }
        return Path.of(where);
    }

    /** Loads the model at {@code where} (a file or a folder), with its landmark and UV files when beside it. */
    public static BodyModel load(Path where) throws IOException {
        Path model = where;
        Path folder = where.getParent();
        if (Files.isDirectory(where)) {
            folder = where;
            model = MODEL_NAMES.stream().map(where::resolve).filter(Files::isRegularFile).findFirst()
                    .orElseGet(() -> onlyModelIn(where));
            if (model == null) {
                throw new NpyFormatException(where + " holds no model file (looked for " + MODEL_NAMES
                        + " or a single .npz with 'v_template')");
            }
        } else if (!Files.isRegularFile(where)) {
            throw new NpyFormatException(where + ": no such model file or folder");
        }
        Path landmarks = firstIn(folder, LANDMARK_NAMES);
        Path uvs = firstIn(folder, UV_NAMES);
        return ModelLoader.load(model, landmarks, uvs);
    }

    private static Path firstIn(Path folder, List<String> names) {
        if (folder == null) {
            return null;
        }
        return names.stream().map(folder::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static Path onlyModelIn(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> models = s.filter(p -> p.getFileName().toString().endsWith(".npz"))
                    .filter(ModelLoader::isModel).toList();
            return models.size() == 1 ? models.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
