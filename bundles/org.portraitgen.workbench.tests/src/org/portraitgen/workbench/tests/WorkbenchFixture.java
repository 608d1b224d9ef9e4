package org.portraitgen.workbench.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.bundles.BundlesView;
import org.portraitgen.workbench.internal.graph.GraphEditorView;
import org.portraitgen.workbench.internal.jobs.JobsView;
import org.portraitgen.workbench.internal.log.LogView;
import org.portraitgen.workbench.internal.model.Studio;
import org.portraitgen.workbench.internal.properties.PropertiesView;
import org.portraitgen.workbench.internal.viewport.ViewportView;

/**
 * The workbench's parts in one shell, laid out as the application model lays them out, over a real {@link Studio}
 * and the framework's pipeline engine. Test node types are registered as services for the fixture's lifetime.
 */
final class WorkbenchFixture implements AutoCloseable {
    final BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
    final Display display = Display.getDefault();
    final Shell shell;
    final Studio studio;
    final GraphFiles files;
    final GraphEditorView editor;
    final PropertiesView properties;
    final JobsView jobs;
    final ViewportView viewport;
    final BundlesView bundles;
    final CTabFolder bottom;
    private final List<ServiceRegistration<NodeProvider>> registrations = new ArrayList<>();

    WorkbenchFixture(Path dir) {
        register(new TestNodes.Frames());
        register(new TestNodes.Grade());
        register(new TestNodes.MaskSink());
        studio = new Studio(context, dir.resolve("state"), dir.resolve("cache"));
        files = new GraphFiles(studio);
        Ui.until(() -> studio.catalog().nodeType("test.masksink").isPresent(), "the pipeline engine and test types");
        shell = new Shell(display);
        shell.setText("PortraitGen Studio — test");
        shell.setLayout(new FillLayout());
        SashForm main = new SashForm(shell, SWT.HORIZONTAL);
        SashForm left = new SashForm(main, SWT.VERTICAL);
        SashForm top = new SashForm(left, SWT.HORIZONTAL);
        editor = new GraphEditorView(tab(top, "Graph"), studio);
        viewport = new ViewportView(tab(top, "Viewport"), studio, () -> studio.settings().gpu());
        bottom = new CTabFolder(left, SWT.BORDER);
        jobs = new JobsView(tab(bottom, "Jobs"), studio);
        new LogView(tab(bottom, "Log"), studio);
        bundles = new BundlesView(tab(bottom, "Bundles"), studio);
        bottom.setSelection(0);
        properties = new PropertiesView(tab(main, "Properties"), studio);
        top.setWeights(62, 38);
        left.setWeights(64, 36);
        main.setWeights(78, 22);
        shell.setBounds(0, 0, 1500, 940);
        shell.open();
        Ui.flush();
    }

    private static Composite tab(Composite parent, String title) {
        CTabFolder folder = parent instanceof CTabFolder f ? f : new CTabFolder(parent, SWT.BORDER);
        CTabItem item = new CTabItem(folder, SWT.NONE);
        item.setText(title);
        Composite body = new Composite(folder, SWT.NONE);
        body.setLayout(new FillLayout());
        item.setControl(body);
        folder.setSelection(item);
        return body;
    }

    ServiceRegistration<NodeProvider> register(NodeProvider provider) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(NodeProvider.TYPE_PROPERTY, provider.descriptor().type());
        ServiceRegistration<NodeProvider> r = context.registerService(NodeProvider.class, provider, props);
        registrations.add(r);
        return r;
    }

    @Override
    public void close() {
        studio.jobs().cancel();
        shell.dispose();
        studio.close();
        registrations.forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the test unregistered it itself
            }
        });
        Ui.flush();
    }
}
