package org.portraitgen.workbench.internal.model;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;

/**
 * Finds the output folders around a node by port type: its own, and the nearest ones upstream (what went into it),
 * for the viewport's before/after split, mask overlays and the tracking that poses a field.
 */
public final class NodeSources {
    private final Graph graph;
    private final NodeCatalog catalog;
    private final NodeOutputs outputs;

    public NodeSources(Graph graph, NodeCatalog catalog, NodeOutputs outputs) {
        this.graph = graph;
        this.catalog = catalog;
        this.outputs = outputs;
    }

    /** The node's own output of this type from its last run. */
    public Optional<Path> own(String nodeId, PortType type) {
        Map<String, Path> out = outputs.of(nodeId);
        return out.entrySet().stream().filter(e -> is(nodeId, e.getKey(), type)).map(Map.Entry::getValue)
                .findFirst();
    }

    /** The nearest output of this type that flows into the node, breadth first along its inputs. */
    public Optional<Path> upstream(String nodeId, PortType type) {
        Deque<String> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        queue.add(nodeId);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            for (GraphEdge e : graph.incoming(n)) {
                Path p = outputs.of(e.fromNode()).get(e.fromPort());
                if (p != null && is(e.fromNode(), e.fromPort(), type)) {
                    return Optional.of(p);
                }
                if (seen.add(e.fromNode())) {
                    queue.add(e.fromNode());
                }
            }
        }
        return Optional.empty();
    }

    /** The port's declared type; a node whose type is not installed is judged by the port's name. */
    private boolean is(String nodeId, String port, PortType type) {
        return graph.node(nodeId).flatMap(n -> catalog.nodeType(n.type())).flatMap(d -> d.output(port))
                .map(PortSpec::type).map(type::equals).orElse(port.equals(type.id()));
    }
}
