package org.portraitgen.workbench.internal.e4;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.e4.ui.di.AboutToShow;
import org.eclipse.e4.ui.model.application.ui.menu.MDirectMenuItem;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuElement;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.portraitgen.workbench.internal.model.Studio;

/** File ▸ Open Recent: one item per recent graph, built each time the menu opens. */
public final class RecentFilesMenu {
    static final String PATH_KEY = "portraitgen.recent.path";

    @AboutToShow
    void aboutToShow(List<MMenuElement> items, Studio studio, EModelService models) {
        List<Path> recent = studio.recent().list();
        for (int i = 0; i < recent.size(); i++) {
            MDirectMenuItem item = models.createModelElement(MDirectMenuItem.class);
            item.setLabel((i + 1) + "  " + recent.get(i).getFileName() + "  — " + recent.get(i).getParent());
            item.setContributionURI("bundleclass://org.portraitgen.workbench/"
                    + OpenRecentItem.class.getName());
            item.getTransientData().put(PATH_KEY, recent.get(i));
            items.add(item);
        }
    }
}
