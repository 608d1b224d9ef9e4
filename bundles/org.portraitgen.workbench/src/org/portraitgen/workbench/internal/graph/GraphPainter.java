package org.portraitgen.workbench.internal.graph;

import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Path;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.workbench.internal.model.FrameFolder;

/** Draws nodes, ports, bezier edges and thumbnails in graph coordinates (the caller sets the zoom/pan transform). */
final class GraphPainter {
    private final Display display;
    private final Thumbnails thumbnails;

    GraphPainter(Display display) {
        this.display = display;
        this.thumbnails = new Thumbnails(display);
    }

    void grid(GC gc, Rectangle visible) {
        gc.setForeground(Colors.GRID);
        gc.setLineWidth(1);
        int step = 40;
        for (int x = Math.floorDiv(visible.x, step) * step; x < visible.x + visible.width; x += step) {
            gc.drawLine(x, visible.y, x, visible.y + visible.height);
        }
        for (int y = Math.floorDiv(visible.y, step) * step; y < visible.y + visible.height; y += step) {
            gc.drawLine(visible.x, y, visible.x + visible.width, y);
        }
    }

    void edge(GC gc, Map<String, NodeShape> shapes, GraphEdge e) {
        NodeShape from = shapes.get(e.fromNode());
        NodeShape to = shapes.get(e.toNode());
        if (from == null || to == null) {
            return;
        }
        from.output(e.fromPort()).ifPresent(out -> to.input(e.toPort()).ifPresent(in -> curve(gc, out.centre(),
                in.centre(), Colors.port(out.typeId()), 3)));
    }

    void curve(GC gc, Point a, Point b, Color color, int width) {
        // a backward edge (a folded chain's wrap to its next band) keeps tight handles; wide ones would loop far
        // outside the graph
        float dx = b.x >= a.x ? Math.max(40, (b.x - a.x) / 2f) : 60;
        Path p = new Path(display);
        p.moveTo(a.x, a.y);
        p.cubicTo(a.x + dx, a.y, b.x - dx, b.y, b.x, b.y);
        gc.setForeground(color);
        gc.setLineWidth(width);
        gc.drawPath(p);
        p.dispose();
    }

    void node(GC gc, NodeShape s, boolean selected, String problem, FrameFolder frames, String text) {
        Rectangle r = s.bounds();
        gc.setBackground(Colors.NODE);
        gc.fillRoundRectangle(r.x, r.y, r.width, r.height, 10, 10);
        gc.setBackground(s.missing() ? Colors.MISSING : Colors.header(s.descriptor().category()));
        gc.fillRoundRectangle(r.x, r.y, r.width, NodeShape.HEADER, 10, 10);
        gc.fillRectangle(r.x, r.y + NodeShape.HEADER - 6, r.width, 6);
        gc.setForeground(Colors.NODE_TEXT);
        String title = s.missing() ? s.id() + "  (missing)" : s.id() + " · " + s.descriptor().label();
        gc.drawText(ellipsize(gc, title, r.width - 14), r.x + 8, r.y + 5, true);
        for (NodeShape.Port p : s.inputs()) {
            port(gc, p);
            gc.setForeground(Colors.DIM_TEXT);
            gc.drawText(p.name(), p.centre().x + 10, p.centre().y - 8, true);
        }
        for (NodeShape.Port p : s.outputs()) {
            port(gc, p);
            gc.setForeground(Colors.DIM_TEXT);
            gc.drawText(p.name(), p.centre().x - 10 - gc.textExtent(p.name()).x, p.centre().y - 8, true);
        }
        if (s.thumbnail()) {
            thumbnail(gc, s.thumbnailArea(), frames, text);
        }
        boolean invalid = problem != null || s.missing();
        if (invalid || selected) {
            gc.setLineWidth(invalid && selected ? 3 : 2);
            gc.setForeground(invalid ? Colors.INVALID : Colors.SELECTED);
            if (s.missing()) {
                gc.setLineStyle(SWT.LINE_DASH);
            }
            gc.drawRoundRectangle(r.x - 1, r.y - 1, r.width + 2, r.height + 2, 12, 12);
            gc.setLineStyle(SWT.LINE_SOLID);
        }
        if (invalid) {
            gc.setBackground(Colors.INVALID);
            gc.fillOval(r.x + r.width - 14, r.y - 6, 14, 14);
            gc.setForeground(Colors.NODE_TEXT);
            gc.drawText("!", r.x + r.width - 9, r.y - 6, true);
        }
    }

    private void port(GC gc, NodeShape.Port p) {
        int rr = NodeShape.PORT_RADIUS;
        gc.setBackground(Colors.port(p.typeId()));
        gc.fillOval(p.centre().x - rr, p.centre().y - rr, 2 * rr, 2 * rr);
        gc.setForeground(Colors.BACKGROUND);
        gc.setLineWidth(2);
        gc.drawOval(p.centre().x - rr, p.centre().y - rr, 2 * rr, 2 * rr);
    }

    private void thumbnail(GC gc, Rectangle area, FrameFolder frames, String text) {
        gc.setBackground(Colors.THUMB_BACK);
        gc.fillRectangle(area);
        Image img = frames == null ? null : thumbnails.of(frames, area.width, area.height);
        if (img != null) {
            Rectangle b = img.getBounds();
            gc.drawImage(img, area.x + (area.width - b.width) / 2, area.y + (area.height - b.height) / 2);
        } else if (text != null) {
            gc.setForeground(Colors.DIM_TEXT);
            gc.drawText(ellipsize(gc, text.strip().replace('\n', ' '), area.width - 8), area.x + 4, area.y + 4,
                    true);
        }
    }

    private static String ellipsize(GC gc, String s, int width) {
        if (gc.textExtent(s).x <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && gc.textExtent(t + "…").x > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    void dispose() {
        thumbnails.dispose();
    }
}
