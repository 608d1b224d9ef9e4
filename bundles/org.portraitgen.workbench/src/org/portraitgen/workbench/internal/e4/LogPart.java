package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.portraitgen.workbench.internal.log.LogView;
import org.portraitgen.workbench.internal.model.Studio;

import jakarta.annotation.PostConstruct;

/** The log part. The widgets live in {@link LogView}, which tests drive without the e4 runtime. */
public final class LogPart {
    private LogView view;

    @PostConstruct
    void create(Composite parent, Studio studio) {
        parent.setLayout(new FillLayout());
        view = new LogView(parent, studio);
    }

    @Focus
    void focus() {
        view.control().setFocus();
    }
}
