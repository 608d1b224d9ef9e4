package org.portraitgen.pipeline.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.ParameterKind;
import org.portraitgen.api.node.ParameterSpec;

/**
 * A validated graph with every node's resolved parameters and cache key, in dependency order. In-process runs,
 * worker processes and farm tasks all plan the same way, so they agree on keys and share one cache.
 */
final class RunPlan {

    /** A node ready to run: its type, resolved parameters and cache key. */
    record Plan(GraphNode node, NodeDescriptor type, Map<String, Object> parameters, String key) {
    }

    private final Graph graph;
    private final RunCache cache;
    private final Map<String, Plan> plans = new LinkedHashMap<>();

    RunPlan(Graph graph, List<String> order, ProviderRegistry registry, Path baseDir, RunCache cache)
            throws IOException {
        this.graph = graph;
        this.cache = cache;
        for (String id : order) {
            GraphNode node = graph.node(id).orElseThrow();
            NodeDescriptor type = registry.find(node.type()).orElseThrow().descriptor();
            Map<String, Object> params = ParameterChecks.resolved(node, type, baseDir);
            plans.put(id, new Plan(node, type, params, keyOf(node, type, params)));
        }
    }

    Plan get(String nodeId) {
        return plans.get(nodeId);
    }

    List<String> order() {
        return List.copyOf(plans.keySet());
    }

    Graph graph() {
        return graph;
    }

    private String keyOf(GraphNode node, NodeDescriptor type, Map<String, Object> params) throws IOException {
        Map<String, String> parts = new HashMap<>();
        parts.put("type", type.type());
        parts.put("version", type.version());
        for (ParameterSpec spec : type.parameters()) {
            Object v = params.get(spec.name());
            if (v == null || spec.kind() == ParameterKind.OUTPUT_FILE) {
                continue; // where a result is published does not change it
            }
            // an optional file left empty has no content to hash (Path.of("") would be the working folder)
            boolean file = spec.kind() == ParameterKind.INPUT_FILE && !v.toString().isBlank();
            parts.put("param:" + spec.name(), file ? "sha256:" + cache.contentHash(Path.of(v.toString()))
                    : v.toString());
        }
        for (GraphEdge e : graph.incoming(node.id())) {
            parts.put("input:" + e.toPort(), plans.get(e.fromNode()).key() + "/" + e.fromPort());
        }
        return RunCache.key(parts);
    }

    /**
     * Writes the graph as workers and farm tasks must see it — parameters resolved (absolute paths, defaults) — so
     * that they compute the same keys. Returns the file under {@code cache/runs/RUN/graph.json}.
     */
    Path writeResolvedGraph(String runId) throws IOException {
        List<GraphNode> nodes = graph.nodes().stream().map(n -> {
            Plan p = plans.get(n.id());
            return p == null ? n : new GraphNode(n.id(), n.type(), p.parameters(), n.x(), n.y(), n.provider());
        }).toList();
        Path file = cache.root().resolve("runs").resolve(runId).resolve("graph.json");
        AtomicFiles.writeString(file, GraphJson.write(new Graph(graph.schemaVersion(), graph.name(), nodes,
                graph.edges())));
        return file;
    }

    /** The target node and every node it depends on, in dependency order. */
    List<String> withAncestors(String target) {
        Set<String> keep = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(target));
        while (!todo.isEmpty()) {
            String id = todo.remove(todo.size() - 1);
            if (keep.add(id)) {
                graph.incoming(id).forEach(e -> todo.add(e.fromNode()));
            }
        }
        return order().stream().filter(keep::contains).toList();
    }
}
