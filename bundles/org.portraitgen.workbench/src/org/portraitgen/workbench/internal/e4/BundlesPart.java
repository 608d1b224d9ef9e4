package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.portraitgen.workbench.internal.bundles.BundlesView;
import org.portraitgen.workbench.internal.model.Studio;

import jakarta.annotation.PostConstruct;

/** The bundles part: install and uninstall node bundles while running. The widgets live in {@link BundlesView}, which tests drive without the e4 runtime. */
public final class BundlesPart {
    private BundlesView view;

    @PostConstruct
    void create(Composite parent, Studio studio) {
        parent.setLayout(new FillLayout());
        view = new BundlesView(parent, studio);
    }

    @Focus
    void focus() {
        view.control().setFocus();
    }
}
