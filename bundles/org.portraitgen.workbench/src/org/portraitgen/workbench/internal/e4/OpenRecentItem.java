package org.portraitgen.workbench.internal.e4;

import java.nio.file.Path;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.menu.MDirectMenuItem;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.GraphFiles;

/** Opens the recent graph its menu item names. */
public final class OpenRecentItem {

    @Execute
    void execute(MDirectMenuItem item, GraphFiles files, Shell shell) {
        if (item.getTransientData().get(RecentFilesMenu.PATH_KEY) instanceof Path p && files.confirmDiscard(shell)) {
            files.open(p);
        }
    }
}
