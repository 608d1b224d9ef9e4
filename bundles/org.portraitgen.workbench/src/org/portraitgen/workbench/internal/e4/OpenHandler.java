package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.model.Studio;

/** Open a graph file. */
public final class OpenHandler {

    @Execute
    void execute(Studio studio, GraphFiles files, Shell shell) {
        files.open(shell);
    }
}
