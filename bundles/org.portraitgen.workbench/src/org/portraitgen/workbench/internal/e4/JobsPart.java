package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.portraitgen.workbench.internal.jobs.JobsView;
import org.portraitgen.workbench.internal.model.Studio;

import jakarta.annotation.PostConstruct;

/** The jobs part: runs, per-node progress, metrics. The widgets live in {@link JobsView}, which tests drive without the e4 runtime. */
public final class JobsPart {
    private JobsView view;

    @PostConstruct
    void create(Composite parent, Studio studio) {
        parent.setLayout(new FillLayout());
        view = new JobsView(parent, studio);
    }

    @Focus
    void focus() {
        view.control().setFocus();
    }
}
