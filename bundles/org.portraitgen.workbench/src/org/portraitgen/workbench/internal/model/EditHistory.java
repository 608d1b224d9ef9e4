package org.portraitgen.workbench.internal.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import org.portraitgen.api.graph.Graph;

/**
 * The command stack of the graph editor. Graphs are immutable records, so each command is kept as the graph before
 * and after it: undo and redo swap whole snapshots, which cannot drift from the edit that made them.
 */
public final class EditHistory {

    /** One undoable edit, labelled for the Edit menu. */
    public record Edit(String label, Graph before, Graph after) {
    }

    private static final int LIMIT = 200;
    private final Deque<Edit> undo = new ArrayDeque<>();
    private final Deque<Edit> redo = new ArrayDeque<>();

    public void push(Edit edit) {
        undo.push(edit);
        if (undo.size() > LIMIT) {
            undo.removeLast();
        }
        redo.clear();
    }

    public Optional<Edit> undo() {
        if (undo.isEmpty()) {
            return Optional.empty();
        }
        Edit e = undo.pop();
        redo.push(e);
        return Optional.of(e);
    }

    public Optional<Edit> redo() {
        if (redo.isEmpty()) {
            return Optional.empty();
        }
        Edit e = redo.pop();
        undo.push(e);
        return Optional.of(e);
    }

    public boolean canUndo() {
        return !undo.isEmpty();
    }

    public boolean canRedo() {
        return !redo.isEmpty();
    }

    public void clear() {
        undo.clear();
        redo.clear();
    }
}
