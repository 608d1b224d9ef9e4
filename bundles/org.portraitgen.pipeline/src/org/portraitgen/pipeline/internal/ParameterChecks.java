package org.portraitgen.pipeline.internal;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.api.graph.Problem.Kind;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.ParameterKind;
import org.portraitgen.api.node.ParameterSpec;

/** Checks a node's parameter values against its type's schema and resolves them for execution. */
final class ParameterChecks {

    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    private ParameterChecks() {
    }

    static void check(GraphNode node, NodeDescriptor type, Confinement confinement, List<Problem> problems) {
        for (String name : node.parameters().keySet()) {
            if (type.parameter(name).isEmpty()) {
                problems.add(new Problem(Kind.UNKNOWN_PARAMETER, node.id(), name, "node '" + node.id() + "' ("
                        + type.type() + ") has no parameter '" + name + "'; it has: " + names(type)));
            }
        }
        for (ParameterSpec spec : type.parameters()) {
            Object value = node.parameters().get(spec.name());
            if (value == null) {
                if (spec.required()) {
                    problems.add(new Problem(Kind.MISSING_PARAMETER, node.id(), spec.name(), "node '" + node.id()
                            + "' needs parameter '" + spec.name() + "' (" + spec.description() + ")"));
                }
                continue;
            }
            String error = checkValue(spec, value, confinement);
            if (error != null) {
                Kind kind = error.startsWith("out of range") ? Kind.PARAMETER_OUT_OF_RANGE
                        : error.startsWith("outside") ? Kind.INVALID_PARAMETER
                        : error.startsWith("file") ? Kind.UNREADABLE_FILE : Kind.INVALID_PARAMETER;
                problems.add(new Problem(kind, node.id(), spec.name(),
                        "node '" + node.id() + "', parameter '" + spec.name() + "': " + error));
            }
        }
    }

    private static String names(NodeDescriptor type) {
        return type.parameters().isEmpty() ? "none"
                : String.join(", ", type.parameters().stream().map(ParameterSpec::name).toList());
    }

    /** Returns null when the value is acceptable, else why not. */
    static String checkValue(ParameterSpec spec, Object value, Confinement confinement) {
        Path baseDir = confinement.baseDir();
        switch (spec.kind()) {
            case INTEGER, NUMBER -> {
                Double d = asNumber(value);
                if (d == null || d.isNaN() || d.isInfinite()) {
                    return "expected a number, got \"" + value + "\"";
                }
                if (spec.kind() == ParameterKind.INTEGER && d != Math.rint(d)) {
                    return "expected a whole number, got " + value;
                }
                if ((spec.min() != null && d < spec.min()) || (spec.max() != null && d > spec.max())) {
                    return "out of range: " + value + " is not within [" + fmt(spec.min()) + ", " + fmt(spec.max())
                            + "]";
                }
                return null;
            }
            case BOOLEAN -> {
                return value instanceof Boolean || "true".equals(value) || "false".equals(value) ? null
                        : "expected true or false, got \"" + value + "\"";
            }
            case ENUM -> {
                return spec.choices().contains(value.toString()) ? null
                        : "\"" + value + "\" is not one of " + spec.choices();
            }
            case COLOR -> {
                return COLOR.matcher(value.toString()).matches() ? null
                        : "expected a colour as #rrggbb, got \"" + value + "\"";
            }
            case INPUT_FILE -> {
                if (!spec.required() && value.toString().isBlank()) {
                    return null; // an optional file left empty, as its default says
                }
                Path p = resolve(value, baseDir);
                if (p == null) {
                    return "file name \"" + value + "\" is not a valid path";
                }
                String outside = confinement.check(p);
                if (outside != null) {
                    return outside;
                }
                if (!Files.exists(p)) {
                    return "file " + p + " does not exist";
                }
                if (!Files.isReadable(p)) {
                    return "file " + p + " is not readable";
                }
                return null;
            }
            case OUTPUT_FILE -> {
                Path p = resolve(value, baseDir);
                if (p == null) {
                    return "file name \"" + value + "\" is not a valid path";
                }
                String outside = confinement.check(p);
                if (outside != null) {
                    return outside;
                }
                Path existing = p.toAbsolutePath().getParent();
                while (existing != null && !Files.exists(existing)) {
                    existing = existing.getParent();
                }
                if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
                    return "file " + p + " cannot be written: " + existing + " is not a writable folder";
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /** Defaults filled in, numbers typed as the schema says, file names made absolute. */
    static Map<String, Object> resolved(GraphNode node, NodeDescriptor type, Path baseDir) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParameterSpec spec : type.parameters()) {
            Object v = node.parameters().getOrDefault(spec.name(), spec.defaultValue());
            if (v == null) {
                continue;
            }
            out.put(spec.name(), switch (spec.kind()) {
                case INTEGER -> asNumber(v).longValue();
                case NUMBER -> asNumber(v);
                case BOOLEAN -> v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString());
                // an optional file parameter defaults to "": it stays empty instead of resolving to nothing
                case INPUT_FILE, OUTPUT_FILE -> v.toString().isBlank() ? "" : resolve(v, baseDir).toString();
                default -> v.toString();
            });
        }
        return out;
    }

    static Path resolve(Object value, Path baseDir) {
        try {
            String s = value.toString();
            if (s.isBlank()) {
                return null;
            }
            if (s.startsWith("~/")) {
                s = System.getProperty("user.home") + s.substring(1);
            }
            return baseDir.toAbsolutePath().resolve(s).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Double asNumber(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "";
        }
        return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }
}
