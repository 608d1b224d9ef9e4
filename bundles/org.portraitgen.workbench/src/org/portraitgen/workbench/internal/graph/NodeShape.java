package org.portraitgen.workbench.internal.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.PortSpec;

/**
 * Where a node and its ports sit on the canvas, in graph coordinates. Painting and hit-testing share these shapes so
 * that what is drawn is what is clicked. A node whose type is gone keeps the ports its edges name, so the graph
 * stays readable until the bundle returns.
 */
public record NodeShape(GraphNode node, NodeDescriptor descriptor, List<Port> inputs, List<Port> outputs,
        Rectangle bounds, boolean thumbnail) {

    public static final int WIDTH = 180;
    public static final int HEADER = 26;
    public static final int ROW = 20;
    public static final int THUMB_HEIGHT = 76;
    public static final int PORT_RADIUS = 6;

    /** A port: its name, type id (null when unknown) and centre. */
    public record Port(String name, String typeId, boolean output, Point centre) {
    }

    public boolean missing() {
        return descriptor == null;
    }

    public String id() {
        return node.id();
    }

    public Rectangle thumbnailArea() {
        int top = bounds.y + HEADER + Math.max(inputs.size(), outputs.size()) * ROW + 4;
        return new Rectangle(bounds.x + 8, top, bounds.width - 16, THUMB_HEIGHT - 8);
    }

    public static Map<String, NodeShape> of(Graph graph, Function<String, Optional<NodeDescriptor>> types,
            Function<String, Boolean> hasThumbnail) {
        Map<String, NodeShape> shapes = new LinkedHashMap<>();
        for (GraphNode n : graph.nodes()) {
            NodeDescriptor d = types.apply(n.type()).orElse(null);
            List<String[]> ins = new ArrayList<>();
            List<String[]> outs = new ArrayList<>();
            if (d != null) {
                d.inputs().forEach(p -> ins.add(new String[] {p.name(), p.type().id()}));
                d.outputs().forEach(p -> outs.add(new String[] {p.name(), p.type().id()}));
            } else {
                graph.incoming(n.id()).forEach(e -> ins.add(new String[] {e.toPort(), null}));
                graph.outgoing(n.id()).stream().map(e -> e.fromPort()).distinct()
                        .forEach(p -> outs.add(new String[] {p, null}));
            }
            boolean thumb = hasThumbnail.apply(n.id());
            int rows = Math.max(1, Math.max(ins.size(), outs.size()));
            int x = (int) Math.round(n.x());
            int y = (int) Math.round(n.y());
            Rectangle bounds = new Rectangle(x, y, WIDTH, HEADER + rows * ROW + 6 + (thumb ? THUMB_HEIGHT : 0));
            shapes.put(n.id(), new NodeShape(n, d, ports(ins, x, y, false), ports(outs, x + WIDTH, y, true), bounds,
                    thumb));
        }
        return shapes;
    }

    private static List<Port> ports(List<String[]> specs, int x, int y, boolean output) {
        List<Port> ports = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ports.add(new Port(specs.get(i)[0], specs.get(i)[1], output,
                    new Point(x, y + HEADER + i * ROW + ROW / 2)));
        }
        return ports;
    }

    public Optional<Port> input(String name) {
        return inputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<Port> output(String name) {
        return outputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Port descriptions for tooltips. */
    public String describe(Port port) {
        if (descriptor == null) {
            return port.name();
        }
        Optional<PortSpec> spec = port.output() ? descriptor.output(port.name()) : descriptor.input(port.name());
        return spec.map(s -> s.name() + " (" + s.type().id() + ")" + (s.description().isBlank() ? ""
                : ": " + s.description())).orElse(port.name());
    }
}
