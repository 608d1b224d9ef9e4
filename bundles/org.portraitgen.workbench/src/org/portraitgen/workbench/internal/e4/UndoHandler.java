package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.model.Studio;

/** Undo the last edit. */
public final class UndoHandler {

    @Execute
    void execute(Studio studio, GraphFiles files, Shell shell) {
        studio.document().undo();
    }

    @CanExecute
    boolean canExecute(Studio studio) {
        return studio.document().canUndo();
    }
}
