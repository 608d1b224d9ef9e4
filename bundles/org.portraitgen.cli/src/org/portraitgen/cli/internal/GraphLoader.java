package org.portraitgen.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphFormatException;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.ParameterKind;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.pipeline.PipelineEngine;

/** Reads a graph file and applies {@code --set node.param=value} overrides from the command line. */
final class GraphLoader {

    private GraphLoader() {
    }

    static Graph load(PipelineEngine engine, Path file, List<String> overrides, Path cwd)
            throws IOException, GraphFormatException {
        return load(engine, file, overrides, cwd, new java.util.ArrayList<>());
    }

    /** As above; the files that {@code --set} names are added to {@code namedFiles} (the user chose them). */
    static Graph load(PipelineEngine engine, Path file, List<String> overrides, Path cwd, List<Path> namedFiles)
            throws IOException, GraphFormatException {
        Graph graph = engine.read(file);
        for (String override : overrides) {
            int eq = override.indexOf('=');
            int dot = override.indexOf('.');
            if (eq < 0 || dot < 0 || dot > eq) {
                throw new IllegalArgumentException("--set expects node.parameter=value, got '" + override + "'");
            }
            String nodeId = override.substring(0, dot);
            String param = override.substring(dot + 1, eq);
            String raw = override.substring(eq + 1);
            GraphNode node = graph.node(nodeId).orElseThrow(() -> new IllegalArgumentException("--set " + override
                    + ": the graph has no node '" + nodeId + "'"));
            ParameterKind kind = engine.nodeType(node.type()).flatMap(t -> t.parameter(param))
                    .map(ParameterSpec::kind).orElse(ParameterKind.STRING);
            Object value = typed(raw, kind, cwd);
            if (kind == ParameterKind.INPUT_FILE || kind == ParameterKind.OUTPUT_FILE) {
                namedFiles.add(Path.of(value.toString()));
            }
            graph = graph.withNode(node.withParameter(param, value));
        }
        return graph;
    }

    /** File names typed on the command line are relative to the user's folder, not the graph's. */
    private static Object typed(String raw, ParameterKind kind, Path cwd) {
        return switch (kind) {
            case INPUT_FILE, OUTPUT_FILE -> cwd.resolve(raw).toAbsolutePath().normalize().toString();
            case INTEGER -> parseOr(raw, Long::parseLong);
            case NUMBER -> parseOr(raw, Double::parseDouble);
            case BOOLEAN -> "true".equalsIgnoreCase(raw) || "false".equalsIgnoreCase(raw)
                    ? Boolean.parseBoolean(raw) : raw;
            default -> raw;
        };
    }

    private static Object parseOr(String raw, java.util.function.Function<String, Object> parse) {
        try {
            return parse.apply(raw.trim());
        } catch (NumberFormatException e) {
            return raw; // validation reports it with the node and parameter named
        }
    }

    static String describeType(NodeDescriptor d) {
        return d.type() + " (" + d.label() + ")";
    }
}
