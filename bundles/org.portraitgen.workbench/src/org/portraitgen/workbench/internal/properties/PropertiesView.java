package org.portraitgen.workbench.internal.properties;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.ParameterKind;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.workbench.internal.model.GraphDocument;
import org.portraitgen.workbench.internal.model.Studio;

/**
 * The selected node's parameters, with widgets generated from its {@link ParameterSpec}s. Rebuilt when the
 * selection changes or the node changes from elsewhere (undo, paste), not on its own edits, so focus stays put.
 */
public final class PropertiesView {
    private static final Color ERROR = new Color(200, 40, 30);
    private final Studio studio;
    private final ScrolledComposite scroll;
    private final Composite body;
    private final Map<String, Control> editors = new LinkedHashMap<>();
    private final GraphDocument.Listener onDocument = d -> refresh();
    private GraphNode shown;
    private boolean committing;
    private org.eclipse.swt.graphics.Font boldFont;

    public PropertiesView(Composite parent, Studio studio) {
        this.studio = studio;
        scroll = new ScrolledComposite(parent, SWT.V_SCROLL | SWT.H_SCROLL);
        body = new Composite(scroll, SWT.NONE);
        body.setLayout(new GridLayout(2, false));
        scroll.setContent(body);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        studio.document().addListener(onDocument);
        scroll.addListener(SWT.Dispose, e -> studio.document().removeListener(onDocument));
        refresh();
    }

    public Control control() {
        return scroll;
    }

    /** The editing widget of each parameter shown, by parameter name. */
    public Map<String, Control> editors() {
        return editors;
    }

    private void refresh() {
        if (committing || scroll.isDisposed()) {
            return;
        }
        GraphNode node = studio.document().selectedNode().orElse(null);
        if (Objects.equals(node, shown) && !editors.isEmpty()) {
            return;
        }
        shown = node;
        rebuild(node);
    }

    private void rebuild(GraphNode node) {
        for (Control c : body.getChildren()) {
            c.dispose();
        }
        editors.clear();
        if (node == null) {
            label("Select a node to edit its parameters.", 2, null);
        } else {
            NodeDescriptor d = studio.catalog().nodeType(node.type()).orElse(null);
            label(node.id() + "  (" + node.type() + ")", 2, null).setFont(bold());
            if (d == null) {
                label("This node's type is not installed: install its bundle to edit it. Its values are kept.", 2,
                        ERROR);
            } else {
                if (!d.description().isBlank()) {
                    label(d.description(), 2, null);
                }
                studio.validate(studio.document().graph())
                        .stream().filter(p -> node.id().equals(p.nodeId()))
                        .forEach(p -> label(p.message(), 2, ERROR));
                for (ParameterSpec spec : d.parameters()) {
                    Label name = label(spec.name() + (spec.required() ? " *" : ""), 1, null);
                    name.setToolTipText(spec.description());
                    Object value = node.parameters().getOrDefault(spec.name(), spec.defaultValue());
                    Control editor = ParameterEditors.create(body, spec, value, v -> commit(node.id(), spec, v));
                    if (editor.getLayoutData() == null) {
                        editor.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
                    }
                    editor.setToolTipText(spec.description());
                    editors.put(spec.name(), editor);
                }
            }
        }
        scroll.setMinSize(body.computeSize(SWT.DEFAULT, SWT.DEFAULT));
        body.layout(true, true);
    }

    private void commit(String nodeId, ParameterSpec spec, Object value) {
        if ((spec.kind() == ParameterKind.INPUT_FILE || spec.kind() == ParameterKind.OUTPUT_FILE)
                && value instanceof String path && !path.isBlank()) {
            Path chosen = Path.of(path);
            if (chosen.isAbsolute() && chosen.getParent() != null) {
                studio.allowFolder(chosen.getParent()); // the artist named this file here: consent, as --set
            }
        }
        studio.document().graph().node(nodeId).ifPresent(n -> {
            committing = true;
            try {
                studio.document().apply("Set " + nodeId + "." + spec.name(),
                        studio.document().graph().withNode(n.withParameter(spec.name(), value)));
                shown = studio.document().graph().node(nodeId).orElse(null);
            } finally {
                committing = false;
            }
        });
    }

    private Label label(String text, int span, Color color) {
        Label l = new Label(body, SWT.WRAP);
        l.setText(text);
        GridData gd = new GridData(SWT.FILL, SWT.CENTER, span == 2, false, span, 1);
        gd.widthHint = span == 2 ? 260 : SWT.DEFAULT;
        l.setLayoutData(gd);
        if (color != null) {
            l.setForeground(color);
        }
        return l;
    }

    private org.eclipse.swt.graphics.Font bold() {
        if (boldFont == null) {
            org.eclipse.swt.graphics.FontData fd = body.getFont().getFontData()[0];
            boldFont = new org.eclipse.swt.graphics.Font(body.getDisplay(), fd.getName(), fd.getHeight(), SWT.BOLD);
            scroll.addListener(SWT.Dispose, e -> boldFont.dispose());
        }
        return boldFont;
    }
}
