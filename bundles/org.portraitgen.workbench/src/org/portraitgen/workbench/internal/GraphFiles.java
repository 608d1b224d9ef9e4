package org.portraitgen.workbench.internal;

import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.MessageBox;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.pipeline.PipelineEngine;
import org.portraitgen.workbench.internal.model.GraphDocument;
import org.portraitgen.workbench.internal.model.Studio;

/**
 * Opening and saving graph files with the engine's JSON (the same documents the command line runs; writes are
 * atomic), the recent-files list and the unsaved-changes prompt. The dialog-free methods are what tests call.
 */
public final class GraphFiles {
    private static final String[] FILTER = {"*.json", "*"};
    private final Studio studio;

    public GraphFiles(Studio studio) {
        this.studio = studio;
    }

    /** Reads {@code file} into the document; returns false (and logs why) when it cannot be read. */
    public boolean open(Path file) {
        try {
            Graph g = org.portraitgen.workbench.internal.graph.AutoLayout.spreadStacked(engine().read(file));
            studio.document().load(g, file.toAbsolutePath());
            studio.outputs().clear();
            studio.recent().add(file);
            studio.log().info("opened " + file);
            return true;
        } catch (Exception e) {
            studio.log().info("cannot open " + file + ": " + e.getMessage());
            return false;
        }
    }

    public boolean saveTo(Path file) {
        try {
            GraphDocument doc = studio.document();
            engine().write(doc.graph(), file);
            doc.markSaved(file.toAbsolutePath());
            studio.recent().add(file);
            studio.log().info("saved " + file);
            return true;
        } catch (Exception e) {
            studio.log().info("cannot save " + file + ": " + e.getMessage());
            return false;
        }
    }

    public void newGraph(Shell shell) {
        if (confirmDiscard(shell)) {
            studio.document().load(GraphDocument.empty(), null);
            studio.outputs().clear();
        }
    }

    public void open(Shell shell) {
        if (!confirmDiscard(shell)) {
            return;
        }
        FileDialog d = new FileDialog(shell, SWT.OPEN);
        d.setFilterExtensions(FILTER);
        String chosen = d.open();
        if (chosen != null) {
            open(Path.of(chosen));
        }
    }

    public boolean save(Shell shell) {
        return studio.document().file().map(this::saveTo).orElseGet(() -> saveAs(shell));
    }

    public boolean saveAs(Shell shell) {
        FileDialog d = new FileDialog(shell, SWT.SAVE);
        d.setFilterExtensions(FILTER);
        d.setOverwrite(true);
        d.setFileName(studio.document().file().map(f -> f.getFileName().toString()).orElse("graph.json"));
        String chosen = d.open();
        return chosen != null && saveTo(Path.of(chosen));
    }

    /** Asks to save unsaved changes; false when the user cancels (or the save failed). */
    public boolean confirmDiscard(Shell shell) {
        if (!studio.document().dirty()) {
            return true;
        }
        MessageBox box = new MessageBox(shell, SWT.ICON_WARNING | SWT.YES | SWT.NO | SWT.CANCEL);
        box.setText("Unsaved changes");
        box.setMessage("Save the changes to " + studio.document().title().substring(1) + " first?");
        return switch (box.open()) {
            case SWT.YES -> save(shell);
            case SWT.NO -> true;
            default -> false;
        };
    }

    private PipelineEngine engine() {
        return studio.catalog().engine().orElseThrow(() -> new IllegalStateException(
                "the pipeline engine is not available"));
    }
}
