package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.model.Studio;

/** Redo the last undone edit. */
public final class RedoHandler {

    @Execute
    void execute(Studio studio, GraphFiles files, Shell shell) {
        studio.document().redo();
    }

    @CanExecute
    boolean canExecute(Studio studio) {
        return studio.document().canRedo();
    }
}
