package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.portraitgen.workbench.internal.graph.GraphEditorView;
import org.portraitgen.workbench.internal.model.Studio;

import jakarta.annotation.PostConstruct;

/** The graph editor part. Publishes its view in the application context for the copy/paste/delete handlers. The widgets live in {@link GraphEditorView}, which tests drive without the e4 runtime. */
public final class GraphEditorPart {
    private GraphEditorView view;

    @PostConstruct
    void create(Composite parent, Studio studio, MApplication app) {
        parent.setLayout(new FillLayout());
        view = new GraphEditorView(parent, studio);
        app.getContext().set(GraphEditorView.class, view);
        parent.addListener(SWT.Dispose, e -> app.getContext().remove(GraphEditorView.class));
    }

    @Focus
    void focus() {
        view.control().setFocus();
    }
}
