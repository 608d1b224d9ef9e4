package org.portraitgen.workbench.internal.graph;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.eclipse.swt.graphics.Point;

/** What lies under a point of the canvas, in graph coordinates: a port (with some slack) or a node. */
record HitTest(Map<String, NodeShape> shapes) {
    private static final int SLACK = 4;

    Optional<NodeShape.Port> portAt(Point g) {
        int r2 = (NodeShape.PORT_RADIUS + SLACK) * (NodeShape.PORT_RADIUS + SLACK);
        return shapes.values().stream().flatMap(s -> Stream.concat(s.inputs().stream(),
                s.outputs().stream()).map(p -> Map.entry(s, p)))
                .filter(sp -> sq(sp.getValue().centre().x - g.x) + sq(sp.getValue().centre().y - g.y) <= r2)
                .map(Map.Entry::getValue).findFirst();
    }

    Optional<NodeShape> shapeOfPort(NodeShape.Port port) {
        return shapes.values().stream().filter(s -> s.inputs().contains(port) || s.outputs().contains(port))
                .findFirst();
    }

    Optional<NodeShape> nodeAt(Point g) {
        NodeShape hit = null;
        for (NodeShape s : shapes.values()) { // last drawn is on top
            if (s.bounds().contains(g)) {
                hit = s;
            }
        }
        return Optional.ofNullable(hit);
    }

    private static int sq(int v) {
        return v * v;
    }
}
