package org.portraitgen.workbench.internal.graph;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.graphics.Transform;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.workbench.internal.model.FrameFolder;
import org.portraitgen.workbench.internal.model.GraphDocument;
import org.portraitgen.workbench.internal.model.Studio;

/**
 * The node-graph canvas: paints the document and turns mouse gestures into edits (move, connect, select, pan,
 * zoom). Gestures preview locally and become one undoable edit when the mouse is released.
 */
public final class GraphCanvas {
    private final Studio studio;
    private final Canvas canvas;
    private final GraphPainter painter;
    private final Consumer<String> status;
    private final GraphDocument.Listener onDocument = d -> refresh();
    private final Runnable onCatalog = () -> later(this::refresh);
    private final Runnable onOutputs = () -> later(this::redraw);
    private final OutputSummaries summaries = new OutputSummaries();
    private Map<String, String> problems = Map.of();
    private Map<String, NodeShape> shapes = Map.of();
    private double zoom = 1;
    private double panX = 40;
    private double panY = 40;
    private Gesture gesture;
    private int fittedLoad = -1;
    private boolean waitingForSize;

    /** What the pressed mouse is doing. */
    private record Gesture(Kind kind, String nodeId, String port, Point start, Point current, double nodeX,
            double nodeY) {
        enum Kind { MOVE, CONNECT, PAN }

        Gesture to(Point p) {
            return new Gesture(kind, nodeId, port, start, p, nodeX, nodeY);
        }
    }

    public GraphCanvas(Composite parent, Studio studio, Consumer<String> status) {
        this.studio = studio;
        this.status = status;
        this.canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        this.painter = new GraphPainter(parent.getDisplay());
        canvas.addListener(SWT.Paint, this::paint);
        canvas.addListener(SWT.MouseDown, this::mouseDown);
        canvas.addListener(SWT.MouseMove, this::mouseMove);
        canvas.addListener(SWT.MouseUp, this::mouseUp);
        canvas.addListener(SWT.MouseVerticalWheel, this::wheel);
        canvas.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.DEL || e.keyCode == SWT.BS) {
                deleteSelection();
            }
        });
        studio.document().addListener(onDocument);
        studio.catalog().addListener(onCatalog);
        studio.outputs().addListener(onOutputs);
        canvas.addListener(SWT.Dispose, e -> {
            studio.document().removeListener(onDocument);
            studio.catalog().removeListener(onCatalog);
            studio.outputs().removeListener(onOutputs);
            painter.dispose();
        });
        refresh();
    }

    public Canvas control() {
        return canvas;
    }

    /** Re-validates and repaints; run after the graph or the set of node types changed. */
    public void refresh() {
        if (canvas.isDisposed()) {
            return;
        }
        Graph g = studio.document().graph();
        problems = studio.validate(g)
                .stream().filter(p -> p.nodeId() != null)
                .collect(Collectors.groupingBy(Problem::nodeId, LinkedHashMap::new,
                        Collectors.mapping(Problem::message, Collectors.joining("\n"))));
        redraw();
    }

    public void redraw() {
        if (!canvas.isDisposed()) {
            shapes = computeShapes(studio.document().graph());
            if (fittedLoad != studio.document().loads()) {
                fitToView();
            }
            canvas.redraw();
        }
    }

    /** Zooms (never above 1) and pans so that every node is in view; done for each newly opened graph. */
    public void fitToView() {
        Rectangle area = canvas.getClientArea();
        if (area.width < 50 || area.height < 50) {
            if (waitingForSize) {
                return;
            }
            waitingForSize = true;
            canvas.addListener(SWT.Resize, new org.eclipse.swt.widgets.Listener() {
                @Override
                public void handleEvent(Event e) { // not laid out yet: fit once it has a size
                    canvas.removeListener(SWT.Resize, this);
                    waitingForSize = false;
                    fitToView();
                    canvas.redraw();
                }
            });
            return;
        }
        fittedLoad = studio.document().loads();
        if (shapes.isEmpty()) {
            return;
        }
        Rectangle all = null;
        for (NodeShape s : shapes.values()) {
            all = all == null ? s.bounds() : all.union(s.bounds());
        }
        all = new Rectangle(all.x - 50, all.y, all.width + 100, all.height); // room for the edges' handles
        int margin = 30;
        zoom = Math.max(0.25, Math.min(1, Math.min((area.width - 2.0 * margin) / all.width,
                (area.height - 2.0 * margin) / all.height)));
        panX = (area.width - all.width * zoom) / 2 - all.x * zoom;
        panY = (area.height - all.height * zoom) / 2 - all.y * zoom;
    }

    /** Validation messages per node id, as shown in tooltips. */
    public Map<String, String> problems() {
        return problems;
    }

    public Map<String, NodeShape> shapes() {
        return shapes;
    }

    public double zoom() {
        return zoom;
    }

    /** Zooms about a canvas point, keeping the graph point under it in place. */
    public void zoomAt(double factor, Point about) {
        double next = Math.max(0.25, Math.min(3, zoom * factor));
        panX = about.x - (about.x - panX) * next / zoom;
        panY = about.y - (about.y - panY) * next / zoom;
        zoom = next;
        canvas.redraw();
    }

    public void panBy(int dx, int dy) {
        panX += dx;
        panY += dy;
        canvas.redraw();
    }

    public Point toCanvas(Point graphPoint) {
        return new Point((int) Math.round(graphPoint.x * zoom + panX), (int) Math.round(graphPoint.y * zoom + panY));
    }

    public Point toGraph(int x, int y) {
        return new Point((int) Math.round((x - panX) / zoom), (int) Math.round((y - panY) / zoom));
    }

    public void deleteSelection() {
        studio.document().selectedNode().ifPresent(n -> studio.document().apply("Delete " + n.id(),
                GraphEdits.removeNode(studio.document().graph(), n.id())));
    }

    private HitTest hits() {
        return new HitTest(shapes);
    }

    private Map<String, NodeShape> computeShapes(Graph g) {
        return NodeShape.of(g, studio.catalog()::nodeType, id -> !studio.outputs().of(id).isEmpty());
    }

    private void paint(Event e) {
        GC gc = e.gc;
        Rectangle area = canvas.getClientArea();
        gc.setBackground(Colors.BACKGROUND);
        gc.fillRectangle(area);
        gc.setAntialias(SWT.ON);
        gc.setTextAntialias(SWT.ON);
        Transform t = new Transform(canvas.getDisplay());
        t.translate((float) panX, (float) panY);
        t.scale((float) zoom, (float) zoom);
        gc.setTransform(t);
        Point tl = toGraph(area.x, area.y);
        Point br = toGraph(area.x + area.width, area.y + area.height);
        painter.grid(gc, new Rectangle(tl.x, tl.y, br.x - tl.x, br.y - tl.y));
        Map<String, NodeShape> drawn = gesture != null && gesture.kind() == Gesture.Kind.MOVE
                ? computeShapes(previewMove()) : shapes;
        studio.document().graph().edges().forEach(edge -> painter.edge(gc, drawn, edge));
        String selected = studio.document().selectedNode().map(n -> n.id()).orElse(null);
        for (NodeShape s : drawn.values()) {
            Map<String, Path> outs = studio.outputs().of(s.id());
            FrameFolder frames = s.thumbnail() ? FrameFolder.firstOf(outs).orElse(null) : null;
            String text = s.thumbnail() && frames == null ? summaries.of(outs) : null;
            painter.node(gc, s, s.id().equals(selected), problems.get(s.id()), frames, text);
        }
        if (gesture != null && gesture.kind() == Gesture.Kind.CONNECT) {
            NodeShape from = shapes.get(gesture.nodeId());
            from.output(gesture.port()).ifPresent(p -> painter.curve(gc, p.centre(),
                    toGraph(gesture.current().x, gesture.current().y), Colors.port(p.typeId()), 2));
        }
        gc.setTransform(null);
        t.dispose();
    }

    private Graph previewMove() {
        Point d = new Point(gesture.current().x - gesture.start().x, gesture.current().y - gesture.start().y);
        return GraphEdits.move(studio.document().graph(), gesture.nodeId(), gesture.nodeX() + d.x / zoom,
                gesture.nodeY() + d.y / zoom);
    }

    private void mouseDown(Event e) {
        canvas.setFocus();
        Point g = toGraph(e.x, e.y);
        Point p = new Point(e.x, e.y);
        if (e.button == 2 || e.button == 3) {
            gesture = new Gesture(Gesture.Kind.PAN, null, null, p, p, 0, 0);
            return;
        }
        Optional<NodeShape.Port> port = hits().portAt(g);
        if (port.isPresent() && port.get().output()) {
            gesture = new Gesture(Gesture.Kind.CONNECT, hits().shapeOfPort(port.get()).orElseThrow().id(),
                    port.get().name(), p, p, 0, 0);
            return;
        }
        Optional<NodeShape> node = hits().nodeAt(g);
        if (node.isPresent()) {
            studio.document().select(node.get().id());
            gesture = new Gesture(Gesture.Kind.MOVE, node.get().id(), null, p, p, node.get().node().x(),
                    node.get().node().y());
        } else {
            studio.document().select(null);
            gesture = new Gesture(Gesture.Kind.PAN, null, null, p, p, 0, 0);
        }
    }

    private void mouseMove(Event e) {
        Point p = new Point(e.x, e.y);
        if (gesture == null) {
            hover(toGraph(e.x, e.y));
            return;
        }
        if (gesture.kind() == Gesture.Kind.PAN) {
            panBy(p.x - gesture.current().x, p.y - gesture.current().y);
        }
        gesture = gesture.to(p);
        canvas.redraw();
    }

    private void mouseUp(Event e) {
        Gesture done = gesture == null ? null : gesture.to(new Point(e.x, e.y));
        gesture = null;
        if (done == null) {
            return;
        }
        if (done.kind() == Gesture.Kind.MOVE && !done.start().equals(done.current())) {
            gesture = done;
            Graph moved = previewMove();
            gesture = null;
            studio.document().apply("Move " + done.nodeId(), moved);
        } else if (done.kind() == Gesture.Kind.CONNECT) {
            connectTo(done, toGraph(e.x, e.y));
        }
        canvas.redraw();
    }

    private void connectTo(Gesture g, Point at) {
        Optional<NodeShape.Port> target = hits().portAt(at).filter(p -> !p.output());
        if (target.isEmpty()) {
            return;
        }
        String toNode = hits().shapeOfPort(target.get()).orElseThrow().id();
        GraphEdits.Connection c = GraphEdits.connect(studio.document().graph(), studio.catalog()::nodeType,
                g.nodeId(), g.port(), toNode, target.get().name());
        if (c.accepted()) {
            studio.document().apply("Connect " + g.nodeId() + " to " + toNode, c.graph());
            status.accept("Connected " + g.nodeId() + "." + g.port() + " to " + toNode + "." + target.get().name());
        } else {
            status.accept(c.refusal());
            studio.log().info(c.refusal());
        }
    }

    private void hover(Point g) {
        String tip = hits().portAt(g).map(p -> hits().shapeOfPort(p).map(s -> s.describe(p)).orElse(p.name()))
                .orElseGet(() -> hits().nodeAt(g).map(s -> problems.getOrDefault(s.id(), s.missing()
                        ? "node type '" + s.node().type() + "' is not installed" : s.descriptor().description()))
                        .orElse(null));
        if (!java.util.Objects.equals(tip, canvas.getToolTipText())) {
            canvas.setToolTipText(tip);
        }
    }

    private void wheel(Event e) {
        zoomAt(e.count > 0 ? 1.1 : 1 / 1.1, new Point(e.x, e.y));
    }

    private void later(Runnable r) {
        if (!canvas.isDisposed()) {
            canvas.getDisplay().asyncExec(() -> {
                if (!canvas.isDisposed()) {
                    r.run();
                }
            });
        }
    }
}
