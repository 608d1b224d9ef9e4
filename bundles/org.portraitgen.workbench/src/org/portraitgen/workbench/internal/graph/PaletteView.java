package org.portraitgen.workbench.internal.graph;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DragSource;
import org.eclipse.swt.dnd.DragSourceAdapter;
import org.eclipse.swt.dnd.DragSourceEvent;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.workbench.internal.model.NodeCatalog;

/**
 * The node palette: node types grouped by category, filtered by a search field, rebuilt whenever a node provider
 * comes or goes. Items drag onto the canvas as their type id; double-click adds at the canvas centre.
 */
public final class PaletteView {
    /** Drag payloads start with this, so a drop of ordinary text is not mistaken for a node type. */
    public static final String DRAG_PREFIX = "portraitgen-node:";

    private final NodeCatalog catalog;
    private final Composite root;
    private final Text search;
    private final Tree tree;
    private final Runnable onCatalog;

    public PaletteView(Composite parent, NodeCatalog catalog, Consumer<String> addNode) {
        this.catalog = catalog;
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(1, false));
        search = new Text(root, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        search.setMessage("Search nodes");
        search.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        tree = new Tree(root, SWT.SINGLE);
        tree.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        search.addListener(SWT.Modify, e -> rebuild());
        tree.addListener(SWT.DefaultSelection, e -> {
            if (e.item != null && e.item.getData() instanceof String type) {
                addNode.accept(type);
            }
        });
        DragSource drag = new DragSource(tree, DND.DROP_COPY);
        drag.setTransfer(new Transfer[] {TextTransfer.getInstance()});
        drag.addDragListener(new DragSourceAdapter() {
            @Override
            public void dragStart(DragSourceEvent event) {
                event.doit = selectedType() != null;
            }

            @Override
            public void dragSetData(DragSourceEvent event) {
                event.data = DRAG_PREFIX + selectedType();
            }
        });
        onCatalog = () -> root.getDisplay().asyncExec(() -> {
            if (!root.isDisposed()) {
                rebuild();
            }
        });
        catalog.addListener(onCatalog);
        root.addListener(SWT.Dispose, e -> catalog.removeListener(onCatalog));
        rebuild();
    }

    public Composite control() {
        return root;
    }

    public Text search() {
        return search;
    }

    public Tree tree() {
        return tree;
    }

    /** The node type ids shown now, in tree order. */
    public List<String> shownTypes() {
        return java.util.Arrays.stream(tree.getItems()).flatMap(c -> java.util.Arrays.stream(c.getItems()))
                .map(i -> (String) i.getData()).toList();
    }

    private String selectedType() {
        TreeItem[] sel = tree.getSelection();
        return sel.length == 1 && sel[0].getData() instanceof String t ? t : null;
    }

    private void rebuild() {
        String q = search.getText().trim().toLowerCase(Locale.ROOT);
        Map<String, List<NodeDescriptor>> byCategory = new TreeMap<>();
        for (NodeDescriptor d : catalog.nodeTypes()) {
            String hay = (d.label() + " " + d.type() + " " + d.category() + " " + d.description())
                    .toLowerCase(Locale.ROOT);
            if (q.isEmpty() || hay.contains(q)) {
                byCategory.computeIfAbsent(d.category(), c -> new java.util.ArrayList<>()).add(d);
            }
        }
        tree.setRedraw(false);
        tree.removeAll();
        byCategory.forEach((category, types) -> {
            TreeItem group = new TreeItem(tree, SWT.NONE);
            group.setText(category + " (" + types.size() + ")");
            for (NodeDescriptor d : types) {
                TreeItem item = new TreeItem(group, SWT.NONE);
                item.setText(d.label());
                item.setData(d.type());
            }
            group.setExpanded(true);
        });
        if (byCategory.isEmpty()) { // say why the palette is empty and what to do about it
            new TreeItem(tree, SWT.NONE).setText(q.isEmpty() ? "No node types installed: use Bundles ▸ Install…"
                    : "No node type matches '" + q + "'");
        }
        tree.setRedraw(true);
    }
}
