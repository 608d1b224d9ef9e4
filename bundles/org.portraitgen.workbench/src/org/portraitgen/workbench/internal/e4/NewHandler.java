package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.model.Studio;

/** New graph. */
public final class NewHandler {

    @Execute
    void execute(Studio studio, GraphFiles files, Shell shell) {
        files.newGraph(shell);
    }
}
