package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.swt.widgets.Display;
import org.portraitgen.workbench.internal.graph.GraphEditorView;

/**
 * Copy the selected node. Enabled only while the graph canvas has focus, so that the same keys still copy and paste text in
 * the properties and search fields.
 */
public final class CopyHandler {

    @Execute
    void execute(GraphEditorView view) {
        view.copy();
    }

    @CanExecute
    boolean canExecute(@Optional GraphEditorView view) {
        return view != null && !view.canvas().control().isDisposed()
                && Display.getCurrent().getFocusControl() == view.canvas().control();
    }
}
