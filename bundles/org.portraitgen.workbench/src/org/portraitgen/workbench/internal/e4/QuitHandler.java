package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;

/** Quit, asking first about unsaved changes. */
public final class QuitHandler {

    @Execute
    void execute(IWorkbench workbench, GraphFiles files, Shell shell) {
        if (files.confirmDiscard(shell)) {
            workbench.close();
        }
    }
}
