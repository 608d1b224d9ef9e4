package org.portraitgen.editors.onnx.internal.editors;

import java.nio.file.Path;

/**
 * Where an editor's model folder is: the request's {@code modelFolder} parameter when set, else
 * {@code <base>/<name>} with base the system property {@value #PROPERTY}, else the environment variable
 * {@code PORTRAITGEN_EDITOR_MODELS}, else {@code editors/} inside the MediaPipe models folder
 * ({@code portraitgen.models} / {@code PORTRAITGEN_MODELS} / {@code ~/.cache/portraitgen/models}).
 */
public final class ModelFolders {

    public static final String PROPERTY = "portraitgen.editor.models";

    private ModelFolders() {
    }

    public static Path base() {
        String dir = setting(PROPERTY, "PORTRAITGEN_EDITOR_MODELS");
        if (dir != null) {
            return Path.of(dir).toAbsolutePath().normalize();
        }
        String models = setting("portraitgen.models", "PORTRAITGEN_MODELS");
        Path root = models != null ? Path.of(models)
                : Path.of(System.getProperty("user.home"), ".cache", "portraitgen", "models");
        return root.resolve("editors").toAbsolutePath().normalize();
    }

    public static Path resolve(String requested, String name) {
        if (requested != null && !requested.isBlank()) {
            return Path.of(requested).toAbsolutePath().normalize();
        }
        return base().resolve(name);
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v;
    }
}
