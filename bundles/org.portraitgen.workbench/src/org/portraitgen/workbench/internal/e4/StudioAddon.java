package org.portraitgen.workbench.internal.e4;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.IWindowCloseHandler;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.event.Event;
import org.portraitgen.workbench.internal.GraphFiles;
import org.portraitgen.workbench.internal.model.Settings;
import org.portraitgen.workbench.internal.model.Studio;
import org.portraitgen.workbench.internal.model.WorkbenchPreferences;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * Creates the session ({@link Studio}) in the application context before any part renders, opens a graph named on
 * the command line, keeps the window title in step with the document, asks before closing with unsaved changes,
 * and reports the start-up time.
 */
public final class StudioAddon {
    private Studio studio;
    /** {@code portraitgen workbench GRAPH.json --run}: open the graph and run it once the window is up. */
    private boolean runOnStart;

    @PostConstruct
    void create(IEclipseContext context, @Optional IApplicationContext app, IEventBroker broker) {
        String home = System.getProperty("user.home");
        Path state = Path.of(System.getProperty("portraitgen.state", home + "/.local/state/portraitgen"));
        Path cache = Path.of(System.getProperty("portraitgen.cache", home + "/.cache/portraitgen/runs"));
        // worker processes need an installed product (portraitgen.home); -Dportraitgen.isolation=IN_PROCESS opts out
        org.portraitgen.api.pipeline.RunOptions.Isolation isolation = org.portraitgen.api.pipeline.RunOptions.Isolation
                .valueOf(System.getProperty("portraitgen.isolation", System.getProperty("portraitgen.home") == null
                        ? "IN_PROCESS" : "WORKER_PROCESS"));
        String models = System.getProperty("portraitgen.models");
        WorkbenchPreferences preferences = new WorkbenchPreferences(
                InstanceScope.INSTANCE.getNode("org.portraitgen.workbench"), new Settings(cache.toAbsolutePath(),
                        isolation, 0, models == null || models.isBlank() ? null : Path.of(models).toAbsolutePath(),
                        true));
        Settings settings = preferences.load();
        studio = new Studio(FrameworkUtil.getBundle(getClass()).getBundleContext(), state, settings.cacheFolder(),
                settings.isolation());
        studio.apply(settings);
        context.set(Studio.class, studio);
        context.set(WorkbenchPreferences.class, preferences);
        context.set(GraphFiles.class, new GraphFiles(studio));
        // toolbar items re-ask their handlers' @CanExecute only when told to
        Runnable enablement = () -> broker.post(UIEvents.REQUEST_ENABLEMENT_UPDATE_TOPIC, UIEvents.ALL_ELEMENT_ID);
        studio.document().addListener(d -> enablement.run());
        studio.jobs().addObserver(new org.portraitgen.workbench.internal.model.JobRunner.Observer() {
            @Override
            public void started(org.portraitgen.api.graph.Graph graph) {
                enablement.run();
            }

            @Override
            public void event(org.portraitgen.api.pipeline.RunEvent event) {
                // progress does not change what can run
            }

            @Override
            public void finished(org.portraitgen.api.pipeline.RunResult result) {
                enablement.run();
            }
        });
        String[] args = app == null ? new String[0]
                : (String[]) app.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS, new String[0]);
        boolean opened = Arrays.stream(args).filter(a -> a.endsWith(".json")).findFirst().map(a -> context
                .get(GraphFiles.class).open(Path.of(System.getProperty("portraitgen.cwd", ".")).resolve(a)))
                .orElse(false);
        runOnStart = opened && Arrays.asList(args).contains("--run");
    }

    @Inject
    @Optional
    void started(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) Event event, MApplication app,
            IWorkbench workbench) {
        long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        studio.log().info("workbench ready " + ms + " ms after the JVM started");
        System.out.println("portraitgen workbench: usable window after " + ms + " ms");
        GraphFiles files = app.getContext().get(GraphFiles.class);
        for (MWindow w : app.getChildren()) {
            w.getContext().set(IWindowCloseHandler.class, win -> files.confirmDiscard((Shell) win.getWidget()));
            studio.document().addListener(d -> w.setLabel("PortraitGen Studio — " + d.title()));
            w.setLabel("PortraitGen Studio — " + studio.document().title());
        }
        if (runOnStart) {
            studio.jobs().start(studio.document().graph(), studio.baseDir(), studio.allowedRoots());
        }
        String shot = System.getProperty("portraitgen.screenshot");
        if (shot != null) {
            Display.getCurrent().timerExec(Integer.getInteger("portraitgen.screenshot.delay", 2500), () -> {
                Shell shell = (Shell) app.getChildren().get(0).getWidget();
                ShellCapture.save(shell, Path.of(shot), Boolean.getBoolean("portraitgen.screenshot.trim"));
                if (Boolean.getBoolean("portraitgen.screenshot.exit")) {
                    studio.document().load(studio.document().graph(), null); // nothing to ask about
                    workbench.close();
                }
            });
        }
    }

    @PreDestroy
    void dispose() {
        studio.close();
    }
}
