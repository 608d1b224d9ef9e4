package org.portraitgen.api.graph;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline graph as authored by a user: nodes with parameters and edges between named ports. This is the model
 * behind the graph JSON document that the CLI runs and the workbench edits.
 *
 * @param schemaVersion version of the JSON layout this graph was read from or will be written with
 * @param name          a label for people; not used for identity
 * @param nodes         nodes in authoring order; ids are unique
 * @param edges         connections from an output port to an input port
 */
public record Graph(int schemaVersion, String name, List<GraphNode> nodes, List<GraphEdge> edges) {

    /** The schema version this API writes. Readers accept every version up to this one. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    public Graph {
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(edges, "edges");
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        name = name == null ? "" : name;
    }

    public Optional<GraphNode> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** Edges whose target is the given node. */
    public List<GraphEdge> incoming(String nodeId) {
        return edges.stream().filter(e -> e.toNode().equals(nodeId)).toList();
    }

    /** Edges whose source is the given node. */
    public List<GraphEdge> outgoing(String nodeId) {
        return edges.stream().filter(e -> e.fromNode().equals(nodeId)).toList();
    }

    public Graph withNode(GraphNode replacement) {
        return new Graph(schemaVersion, name,
                nodes.stream().map(n -> n.id().equals(replacement.id()) ? replacement : n).toList(), edges);
    }
}
