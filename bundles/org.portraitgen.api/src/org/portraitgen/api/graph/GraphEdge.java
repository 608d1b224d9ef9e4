package org.portraitgen.api.graph;

import java.util.Objects;

/** A connection from an output port of one node to an input port of another. */
public record GraphEdge(String fromNode, String fromPort, String toNode, String toPort) {

    public GraphEdge {
        Objects.requireNonNull(fromNode, "fromNode");
        Objects.requireNonNull(fromPort, "fromPort");
        Objects.requireNonNull(toNode, "toNode");
        Objects.requireNonNull(toPort, "toPort");
    }

    @Override
    public String toString() {
        return fromNode + "." + fromPort + " -> " + toNode + "." + toPort;
    }
}
