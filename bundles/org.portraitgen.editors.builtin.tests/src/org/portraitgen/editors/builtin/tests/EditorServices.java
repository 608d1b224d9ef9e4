package org.portraitgen.editors.builtin.tests;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.editor.EditorProvider;

/** Looks editors up the way callers do: as services in the running framework, by their id property. */
final class EditorServices {

    /** Every editor the builtin bundle must register. */
    static final List<String> BUILTIN_IDS = List.of("builtin.stylization", "builtin.pencil", "builtin.cartoon",
            "builtin.oil", "builtin.painterly", "builtin.pixelart", "builtin.lego", "builtin.styletransfer",
            "builtin.relight", "builtin.insert");

    private EditorServices() {
    }

    /** Waits (SCR activates components lazily) for the editor registered under {@code id}. */
    static EditorProvider editor(String id) throws Exception {
        BundleContext ctx = FrameworkUtil.getBundle(EditorServices.class).getBundleContext();
        Filter filter = ctx.createFilter("(&(objectClass=" + EditorProvider.class.getName() + ")("
                + EditorProvider.ID_PROPERTY + "=" + id + "))");
        ServiceTracker<EditorProvider, EditorProvider> tracker = new ServiceTracker<>(ctx, filter, null);
        tracker.open();
        try {
            EditorProvider editor = tracker.waitForService(20_000);
            if (editor == null) {
                throw new AssertionError("no editor '" + id + "' was registered within 20 s");
            }
            return editor;
        } finally {
            tracker.close();
        }
    }
}
