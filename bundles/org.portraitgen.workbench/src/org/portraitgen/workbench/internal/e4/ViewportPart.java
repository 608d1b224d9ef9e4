package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.portraitgen.workbench.internal.viewport.ViewportView;
import org.portraitgen.workbench.internal.model.Studio;

import jakarta.annotation.PostConstruct;

/** The viewport part: the selected node's output frames. The widgets live in {@link ViewportView}, which tests drive without the e4 runtime. */
public final class ViewportPart {
    private ViewportView view;

    @PostConstruct
    void create(Composite parent, Studio studio) {
        parent.setLayout(new FillLayout());
        view = new ViewportView(parent, studio, () -> studio.settings().gpu());
    }

    @Focus
    void focus() {
        view.control().setFocus();
    }
}
