package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.model.Studio;

/** Run the graph in the background. */
public final class RunHandler {

    @Execute
    void execute(Studio studio, GraphFiles files, Shell shell) {
        studio.jobs().start(studio.document().graph(), studio.baseDir(), studio.allowedRoots());
    }

    @CanExecute
    boolean canExecute(Studio studio) {
        return !studio.jobs().running();
    }
}
