package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.portraitgen.workbench.internal.model.Studio;
import org.portraitgen.workbench.internal.model.WorkbenchPreferences;
import org.portraitgen.workbench.internal.preferences.PreferencesDialog;

/** File ▸ Preferences… */
public final class PreferencesHandler {

    @Execute
    void execute(Shell shell, Studio studio, WorkbenchPreferences preferences) {
        new PreferencesDialog(shell, studio, preferences).open();
    }
}
