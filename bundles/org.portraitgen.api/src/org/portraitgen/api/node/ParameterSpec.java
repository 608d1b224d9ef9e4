package org.portraitgen.api.node;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of a node type: its schema. Validation, the CLI's {@code nodes} listing and the workbench's
 * properties view are all generated from these.
 *
 * @param defaultValue used when the graph leaves the parameter out; null makes the parameter required
 * @param min          inclusive lower bound for numbers, or null
 * @param max          inclusive upper bound for numbers, or null
 * @param choices      allowed values for {@link ParameterKind#ENUM}
 */
public record ParameterSpec(String name, ParameterKind kind, String description, Object defaultValue, Double min,
        Double max, List<String> choices) {

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        description = description == null ? "" : description;
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public boolean required() {
        return defaultValue == null;
    }

    public static ParameterSpec integer(String name, String description, Integer defaultValue, int min, int max) {
        return new ParameterSpec(name, ParameterKind.INTEGER, description, defaultValue, (double) min, (double) max,
                null);
    }

    public static ParameterSpec number(String name, String description, Double defaultValue, double min, double max) {
        return new ParameterSpec(name, ParameterKind.NUMBER, description, defaultValue, min, max, null);
    }

    public static ParameterSpec bool(String name, String description, boolean defaultValue) {
        return new ParameterSpec(name, ParameterKind.BOOLEAN, description, defaultValue, null, null, null);
    }

    public static ParameterSpec choice(String name, String description, String defaultValue, List<String> choices) {
        return new ParameterSpec(name, ParameterKind.ENUM, description, defaultValue, null, null, choices);
    }

    public static ParameterSpec text(String name, String description, String defaultValue) {
        return new ParameterSpec(name, ParameterKind.STRING, description, defaultValue, null, null, null);
    }

    public static ParameterSpec inputFile(String name, String description, String defaultValue) {
        return new ParameterSpec(name, ParameterKind.INPUT_FILE, description, defaultValue, null, null, null);
    }

    public static ParameterSpec outputFile(String name, String description, String defaultValue) {
        return new ParameterSpec(name, ParameterKind.OUTPUT_FILE, description, defaultValue, null, null, null);
    }
}
