package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.model.Studio;

/** Save the graph (Save As when it has no file yet). */
public final class SaveHandler {

    @Execute
    void execute(Studio studio, GraphFiles files, Shell shell) {
        files.save(shell);
    }
}
