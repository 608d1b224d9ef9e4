package org.portraitgen.workbench.internal.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphNode;

/**
 * The graph being edited: its content, file, unsaved state, undo history and selected node. Confined to the UI
 * thread; every part observes it through {@link Listener}.
 */
public final class GraphDocument {

    /** Told after every change of content, file or selection. */
    @FunctionalInterface
    public interface Listener {
        void changed(GraphDocument document);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final EditHistory history = new EditHistory();
    private Graph graph = empty();
    private Path file;
    private Graph savedGraph = graph;
    private String selection;
    private int loads;

    public static Graph empty() {
        return new Graph(Graph.CURRENT_SCHEMA_VERSION, "untitled", List.of(), List.of());
    }

    public Graph graph() {
        return graph;
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public boolean dirty() {
        return !graph.equals(savedGraph);
    }

    /** Replaces the content as one undoable edit; a no-op when nothing changed. */
    public void apply(String label, Graph next) {
        if (next.equals(graph)) {
            return;
        }
        history.push(new EditHistory.Edit(label, graph, next));
        graph = next;
        keepSelectionValid();
        fire();
    }

    public boolean undo() {
        return history.undo().map(e -> restore(e.before())).orElse(false);
    }

    public boolean redo() {
        return history.redo().map(e -> restore(e.after())).orElse(false);
    }

    public boolean canUndo() {
        return history.canUndo();
    }

    public boolean canRedo() {
        return history.canRedo();
    }

    /** A graph freshly read from (or to be written to) {@code origin}; clears the history. */
    public void load(Graph loaded, Path origin) {
        history.clear();
        graph = loaded;
        savedGraph = loaded;
        file = origin;
        selection = null;
        loads++;
        fire();
    }

    /** Counts {@link #load} calls, so views can tell a new document (fit it to the view) from an edit. */
    public int loads() {
        return loads;
    }

    public void markSaved(Path savedTo) {
        file = savedTo;
        savedGraph = graph;
        fire();
    }

    public Optional<GraphNode> selectedNode() {
        return selection == null ? Optional.empty() : graph.node(selection);
    }

    public void select(String nodeId) {
        if (java.util.Objects.equals(nodeId, selection)) {
            return;
        }
        selection = nodeId;
        fire();
    }

    public String title() {
        String name = file == null ? graph.name() : file.getFileName().toString();
        return (dirty() ? "*" : "") + name;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    private boolean restore(Graph g) {
        graph = g;
        keepSelectionValid();
        fire();
        return true;
    }

    private void keepSelectionValid() {
        if (selection != null && graph.node(selection).isEmpty()) {
            selection = null;
        }
    }

    private void fire() {
        listeners.forEach(l -> l.changed(this));
    }
}
