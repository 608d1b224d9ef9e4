package org.portraitgen.workbench.internal.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.PortSpec;

/** The editor's operations on immutable graphs, free of widgets so that they are easy to test and to undo. */
public final class GraphEdits {

    /** A connection attempt: the new graph, or why the ports refuse to connect. */
    public record Connection(Graph graph, String refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    private GraphEdits() {
    }

    /** A readable id not used in the graph: the type's last segment, numbered from 2 on clashes. */
    public static String newId(Graph graph, String type) {
        String base = type.substring(type.lastIndexOf('.') + 1).replaceAll("[^A-Za-z0-9_-]", "");
        base = base.isEmpty() ? "node" : base;
        String id = base;
        for (int i = 2; graph.node(id).isPresent(); i++) {
            id = base + i;
        }
        return id;
    }

    public static Graph addNode(Graph graph, GraphNode node) {
        List<GraphNode> nodes = new ArrayList<>(graph.nodes());
        nodes.add(node);
        return new Graph(graph.schemaVersion(), graph.name(), nodes, graph.edges());
    }

    public static Graph removeNode(Graph graph, String id) {
        return new Graph(graph.schemaVersion(), graph.name(),
                graph.nodes().stream().filter(n -> !n.id().equals(id)).toList(),
                graph.edges().stream().filter(e -> !e.fromNode().equals(id) && !e.toNode().equals(id)).toList());
    }

    public static Graph move(Graph graph, String id, double x, double y) {
        return graph.node(id).map(n -> graph.withNode(n.at(x, y))).orElse(graph);
    }

    /** A copy of {@code node} with a fresh id, offset so that it does not hide the original. */
    public static GraphNode copyOf(Graph graph, GraphNode node, double dx, double dy) {
        return new GraphNode(newId(graph, node.id().replaceAll("\\d+$", "")), node.type(),
                Map.copyOf(node.parameters()), node.x() + dx, node.y() + dy, node.provider());
    }

    /**
     * Connects an output port to an input port, replacing the input's previous connection. Refused with a reason
     * when a port is unknown, the types differ, or the edge would close a cycle.
     */
    public static Connection connect(Graph graph, Function<String, Optional<NodeDescriptor>> types, String fromNode,
            String fromPort, String toNode, String toPort) {
        if (fromNode.equals(toNode)) {
            return refuse("a node cannot feed its own input");
        }
        Optional<PortSpec> out = port(graph, types, fromNode, fromPort, true);
        Optional<PortSpec> in = port(graph, types, toNode, toPort, false);
        if (out.isEmpty() || in.isEmpty()) {
            return refuse("'" + (out.isEmpty() ? fromNode + "." + fromPort : toNode + "." + toPort)
                    + "' is not a known port (is its node type installed?)");
        }
        if (!in.get().type().accepts(out.get().type())) {
            return refuse("'" + fromNode + "." + fromPort + "' gives " + out.get().type().id() + " but '" + toNode
                    + "." + toPort + "' takes " + in.get().type().id());
        }
        if (reaches(graph, toNode, fromNode)) {
            return refuse("connecting '" + fromNode + "' to '" + toNode + "' would make a cycle");
        }
        List<GraphEdge> edges = new ArrayList<>(graph.edges());
        edges.removeIf(e -> e.toNode().equals(toNode) && e.toPort().equals(toPort));
        edges.add(new GraphEdge(fromNode, fromPort, toNode, toPort));
        return new Connection(new Graph(graph.schemaVersion(), graph.name(), graph.nodes(), edges), null);
    }

    public static Graph disconnect(Graph graph, String toNode, String toPort) {
        return new Graph(graph.schemaVersion(), graph.name(), graph.nodes(), graph.edges().stream()
                .filter(e -> !(e.toNode().equals(toNode) && e.toPort().equals(toPort))).toList());
    }

    private static Connection refuse(String reason) {
        return new Connection(null, "Cannot connect: " + reason + ".");
    }

    private static Optional<PortSpec> port(Graph graph, Function<String, Optional<NodeDescriptor>> types,
            String nodeId, String port, boolean output) {
        return graph.node(nodeId).flatMap(n -> types.apply(n.type()))
                .flatMap(d -> output ? d.output(port) : d.input(port));
    }

    /** Whether {@code target} is downstream of {@code start}. */
    private static boolean reaches(Graph graph, String start, String target) {
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (n.equals(target)) {
                return true;
            }
            if (seen.add(n)) {
                graph.outgoing(n).forEach(e -> todo.push(e.toNode()));
            }
        }
        return false;
    }
}
