package org.portraitgen.workbench.internal.graph;

import java.util.Map;
import java.util.Optional;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.workbench.internal.model.Studio;

/** The graph editor part's content: palette, canvas and a status line for refusals and hints. */
public final class GraphEditorView {
    private final Studio studio;
    private final Composite root;
    private final PaletteView palette;
    private final GraphCanvas canvas;
    private final Label status;
    private GraphNode clipboard;

    public GraphEditorView(Composite parent, Studio studio) {
        this.studio = studio;
        root = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = layout.marginHeight = 0;
        layout.verticalSpacing = 0;
        root.setLayout(layout);
        SashForm sash = new SashForm(root, SWT.HORIZONTAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        palette = new PaletteView(sash, studio.catalog(), this::addAtCentre);
        Composite right = new Composite(sash, SWT.NONE);
        right.setLayout(new GridLayout(1, false));
        canvas = new GraphCanvas(right, studio, this::showStatus);
        canvas.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        status = new Label(right, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        status.setText("Drag nodes from the palette; drag from an output port to an input port to connect.");
        sash.setWeights(22, 78);
        acceptDrops();
    }

    public Composite control() {
        return root;
    }

    public PaletteView palette() {
        return palette;
    }

    public GraphCanvas canvas() {
        return canvas;
    }

    public Label status() {
        return status;
    }

    public void showStatus(String message) {
        if (!status.isDisposed()) {
            status.setText(message);
            status.setToolTipText(message);
        }
    }

    /** Adds a node of {@code type} with its top-left at a graph point; returns the new node's id. */
    public Optional<String> addNode(String type, Point at) {
        return studio.catalog().nodeType(type).map(d -> {
            String id = GraphEdits.newId(studio.document().graph(), type);
            studio.document().apply("Add " + d.label(), GraphEdits.addNode(studio.document().graph(),
                    new GraphNode(id, type, Map.of(), at.x, at.y, null)));
            studio.document().select(id);
            return id;
        });
    }

    private void addAtCentre(String type) {
        Rectangle area = canvas.control().getClientArea();
        Point centre = canvas.toGraph(area.width / 2 - NodeShape.WIDTH / 2, area.height / 3);
        int shift = 24 * (studio.document().graph().nodes().size() % 6);
        addNode(type, new Point(centre.x + shift, centre.y + shift));
    }

    public void copy() {
        studio.document().selectedNode().ifPresent(n -> {
            clipboard = n;
            showStatus("Copied " + n.id());
        });
    }

    public void paste() {
        if (clipboard != null) {
            GraphNode copy = GraphEdits.copyOf(studio.document().graph(), clipboard, 40, 40);
            studio.document().apply("Paste " + copy.id(), GraphEdits.addNode(studio.document().graph(), copy));
            studio.document().select(copy.id());
            clipboard = copy; // pasting again cascades instead of stacking copies on one spot
        }
    }

    private void acceptDrops() {
        DropTarget drop = new DropTarget(canvas.control(), DND.DROP_COPY | DND.DROP_DEFAULT);
        drop.setTransfer(new Transfer[] {TextTransfer.getInstance()});
        drop.addDropListener(new DropTargetAdapter() {
            @Override
            public void dragEnter(DropTargetEvent event) {
                event.detail = DND.DROP_COPY;
            }

            @Override
            public void drop(DropTargetEvent event) {
                if (event.data instanceof String s && s.startsWith(PaletteView.DRAG_PREFIX)) {
                    Point local = canvas.control().toControl(event.x, event.y);
                    addNode(s.substring(PaletteView.DRAG_PREFIX.length()), canvas.toGraph(local.x, local.y));
                }
            }
        });
    }
}
