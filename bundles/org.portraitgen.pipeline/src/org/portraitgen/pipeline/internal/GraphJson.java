package org.portraitgen.pipeline.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.graph.GraphFormatException;
import org.portraitgen.api.graph.GraphNode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The graph document:
 *
 * <pre>
 * { "schemaVersion": 1, "name": "...",
 *   "nodes": [ { "id": "decode", "type": "video.decode", "parameters": { "file": "clip.mp4" },
 *                "position": { "x": 40, "y": 80 }, "provider": "org.portraitgen.video" } ],
 *   "edges": [ { "from": "decode.frames", "to": "grade.frames" } ] }
 * </pre>
 *
 * Edges name ports as {@code node.port}; node ids therefore contain no dots.
 */
public final class GraphJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GraphJson() {
    }

    public static Graph read(Path file) throws IOException, GraphFormatException {
        if (!Files.isRegularFile(file)) {
            throw new GraphFormatException(file, "no such graph file", null);
        }
        return parse(Files.readString(file), file);
    }

    public static Graph parse(String json, Path origin) throws GraphFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new GraphFormatException(origin, "not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new GraphFormatException(origin, "a graph document must be a JSON object", null);
        }
        int version = root.path("schemaVersion").asInt(-1);
        if (version < 1) {
            throw new GraphFormatException(origin, "missing or invalid \"schemaVersion\" (expected 1.."
                    + Graph.CURRENT_SCHEMA_VERSION + ")", null);
        }
        if (version > Graph.CURRENT_SCHEMA_VERSION) {
            throw new GraphFormatException(origin, "schema version " + version + " is newer than this build reads ("
                    + Graph.CURRENT_SCHEMA_VERSION + "); update PortraitGen Studio", null);
        }
        List<GraphNode> nodes = new ArrayList<>();
        JsonNode nodeArray = root.path("nodes");
        if (!nodeArray.isArray()) {
            throw new GraphFormatException(origin, "\"nodes\" must be an array", null);
        }
        for (int i = 0; i < nodeArray.size(); i++) {
            nodes.add(readNode(nodeArray.get(i), i, origin));
        }
        List<GraphEdge> edges = new ArrayList<>();
        JsonNode edgeArray = root.path("edges");
        if (!edgeArray.isMissingNode() && !edgeArray.isArray()) {
            throw new GraphFormatException(origin, "\"edges\" must be an array", null);
        }
        for (int i = 0; i < edgeArray.size(); i++) {
            edges.add(readEdge(edgeArray.get(i), i, origin));
        }
        return new Graph(version, root.path("name").asText(""), nodes, edges);
    }

    private static GraphNode readNode(JsonNode n, int index, Path origin) throws GraphFormatException {
        String where = "nodes[" + index + "]";
        if (!n.isObject()) {
            throw new GraphFormatException(origin, where + " must be an object", null);
        }
        String id = requireText(n, "id", where, origin);
        String type = requireText(n, "type", where + " ('" + id + "')", origin);
        Map<String, Object> parameters = new LinkedHashMap<>();
        JsonNode params = n.path("parameters");
        if (!params.isMissingNode() && !params.isObject()) {
            throw new GraphFormatException(origin, "node '" + id + "': \"parameters\" must be an object", null);
        }
        for (var it = params.properties().iterator(); it.hasNext();) {
            var entry = it.next();
            parameters.put(entry.getKey(), scalar(entry.getValue(), id, entry.getKey(), origin));
        }
        JsonNode pos = n.path("position");
        String provider = n.hasNonNull("provider") ? n.get("provider").asText() : null;
        return new GraphNode(id, type, parameters, pos.path("x").asDouble(0), pos.path("y").asDouble(0), provider);
    }

    private static Object scalar(JsonNode v, String node, String param, Path origin) throws GraphFormatException {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        throw new GraphFormatException(origin, "node '" + node + "', parameter '" + param
                + "': values must be strings, numbers or booleans, not " + v.getNodeType().name().toLowerCase(),
                null);
    }

    private static GraphEdge readEdge(JsonNode e, int index, Path origin) throws GraphFormatException {
        String where = "edges[" + index + "]";
        String[] from = splitPort(requireText(e, "from", where, origin), where + ".from", origin);
        String[] to = splitPort(requireText(e, "to", where, origin), where + ".to", origin);
        return new GraphEdge(from[0], from[1], to[0], to[1]);
    }

    private static String[] splitPort(String ref, String where, Path origin) throws GraphFormatException {
        int dot = ref.indexOf('.');
        if (dot <= 0 || dot == ref.length() - 1 || ref.indexOf('.', dot + 1) >= 0) {
            throw new GraphFormatException(origin, where + " must be \"node.port\", was \"" + ref + "\"", null);
        }
        return new String[] {ref.substring(0, dot), ref.substring(dot + 1)};
    }

    private static String requireText(JsonNode n, String field, String where, Path origin)
            throws GraphFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new GraphFormatException(origin, where + " needs a non-empty string \"" + field + "\"", null);
        }
        return v.asText();
    }

    public static String write(Graph graph) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", Graph.CURRENT_SCHEMA_VERSION);
        root.put("name", graph.name());
        ArrayNode nodes = root.putArray("nodes");
        for (GraphNode n : graph.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("id", n.id());
            o.put("type", n.type());
            ObjectNode params = o.putObject("parameters");
            n.parameters().forEach((k, v) -> params.set(k, MAPPER.valueToTree(v)));
            ObjectNode pos = o.putObject("position");
            pos.put("x", n.x());
            pos.put("y", n.y());
            if (n.provider() != null) {
                o.put("provider", n.provider());
            }
        }
        ArrayNode edges = root.putArray("edges");
        for (GraphEdge e : graph.edges()) {
            ObjectNode o = edges.addObject();
            o.put("from", e.fromNode() + "." + e.fromPort());
            o.put("to", e.toNode() + "." + e.toPort());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("graph could not be serialised", e);
        }
    }
}
