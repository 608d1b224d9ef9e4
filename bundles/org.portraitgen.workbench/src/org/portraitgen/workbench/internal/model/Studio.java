package org.portraitgen.workbench.internal.model;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.osgi.framework.BundleContext;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.api.pipeline.RunOptions;

/**
 * One workbench session: the document being edited and the services its parts share. Created by the e4 add-on
 * (or by a test) and passed to each part; there is no static instance.
 */
public final class Studio implements AutoCloseable {
    private final BundleContext bundleContext;
    private final GraphDocument document = new GraphDocument();
    private final WorkbenchLog log = new WorkbenchLog();
    private final NodeOutputs outputs = new NodeOutputs();
    private final NodeCatalog catalog;
    private final JobRunner jobs;
    private final RecentFiles recent;
    private final FarmRuns farmRuns;
    private final Listeners settingsListeners = new Listeners();
    private volatile Settings settings;
    /**
     * Folders besides the project folder that file parameters may name: those of {@code PORTRAITGEN_ALLOWED_ROOTS}
     * (as on the command line) and the folders of files the artist chose or typed in the properties view, which is
     * this session's consent, as {@code --set} is on the command line. A graph opened from disk brings none.
     */
    private final Set<Path> allowedRoots = new CopyOnWriteArraySet<>();

    /**
     * @param stateDir where recent files and similar session state live
     * @param cacheDir the run cache shared with the command line, so runs started here reuse its results
     */
    public Studio(BundleContext bundleContext, Path stateDir, Path cacheDir) {
        this(bundleContext, stateDir, cacheDir, org.portraitgen.api.pipeline.RunOptions.Isolation.IN_PROCESS);
    }

    public Studio(BundleContext bundleContext, Path stateDir, Path cacheDir,
            org.portraitgen.api.pipeline.RunOptions.Isolation isolation) {
        this.bundleContext = bundleContext;
        this.catalog = new NodeCatalog(bundleContext);
        this.jobs = new JobRunner(catalog, outputs, log, cacheDir, isolation);
        this.recent = new RecentFiles(stateDir.resolve("recent-graphs.txt"));
        this.farmRuns = new FarmRuns(bundleContext, cacheDir);
        this.settings = new Settings(cacheDir.toAbsolutePath(), isolation, 0, null, true);
        String configured = System.getenv("PORTRAITGEN_ALLOWED_ROOTS");
        if (configured != null) {
            for (String root : configured.split(File.pathSeparator)) {
                if (!root.isBlank()) {
                    allowedRoots.add(Path.of(root.trim()).toAbsolutePath().normalize());
                }
            }
        }
    }

    /** Lets file parameters name files in {@code folder} for the rest of this session. */
    public void allowFolder(Path folder) {
        allowedRoots.add(folder.toAbsolutePath().normalize());
    }

    public List<Path> allowedRoots() {
        return List.copyOf(allowedRoots);
    }

    /** The engine's problems with {@code graph} under this session's project folder and allowed roots. */
    public List<Problem> validate(Graph graph) {
        RunOptions options = new RunOptions(baseDir(), settings.cacheFolder(), 1, null,
                RunOptions.Isolation.IN_PROCESS, 0).withAllowedRoots(allowedRoots());
        return catalog.engine().map(e -> e.validate(graph, options)).orElse(List.of());
    }

    /** The preferences in force. */
    public Settings settings() {
        return settings;
    }

    /**
     * Puts preferences into force: the next run uses the cache, isolation and timeout; in-process nodes read the
     * model folder from {@code portraitgen.models}; the viewport reads the GPU choice at its next render. The farm
     * runs view keeps the cache it started with until the next start.
     */
    public void apply(Settings next) {
        settings = next;
        jobs.configure(next.cacheFolder(), next.isolation(), next.nodeTimeoutSeconds());
        if (next.modelFolder() != null) {
            System.setProperty("portraitgen.models", next.modelFolder().toString());
        }
        settingsListeners.fire();
    }

    public void addSettingsListener(Runnable r) {
        settingsListeners.add(r);
    }

    public void removeSettingsListener(Runnable r) {
        settingsListeners.remove(r);
    }

    public BundleContext bundleContext() {
        return bundleContext;
    }

    public GraphDocument document() {
        return document;
    }

    public WorkbenchLog log() {
        return log;
    }

    public NodeOutputs outputs() {
        return outputs;
    }

    public NodeCatalog catalog() {
        return catalog;
    }

    public JobRunner jobs() {
        return jobs;
    }

    public RecentFiles recent() {
        return recent;
    }

    /** Render-farm runs of this run cache, for the jobs part. */
    public FarmRuns farmRuns() {
        return farmRuns;
    }

    /** The folder relative file parameters resolve against: the graph file's, else the working directory. */
    public Path baseDir() {
        return document.file().map(f -> f.toAbsolutePath().getParent())
                .orElse(Path.of(System.getProperty("portraitgen.cwd", System.getProperty("user.dir"))));
    }

    @Override
    public void close() {
        jobs.cancel();
        farmRuns.close();
        catalog.close();
    }
}
