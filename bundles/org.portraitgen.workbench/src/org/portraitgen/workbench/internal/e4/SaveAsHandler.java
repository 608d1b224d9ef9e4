package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.model.Studio;

/** Save the graph under a new name. */
public final class SaveAsHandler {

    @Execute
    void execute(Studio studio, GraphFiles files, Shell shell) {
        files.saveAs(shell);
    }
}
