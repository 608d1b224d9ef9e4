package org.portraitgen.workbench.internal.model;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.pipeline.PipelineEngine;
import org.portraitgen.api.pipeline.RunEvent;
import org.portraitgen.api.pipeline.RunHandle;
import org.portraitgen.api.pipeline.RunOptions;
import org.portraitgen.api.pipeline.RunResult;

/**
 * Starts graph runs in the background through the engine (the display thread only starts and cancels them) and
 * tells observers of every event. Observers are called on executor threads and must hop to the UI thread.
 */
public final class JobRunner {

    /** Observes runs; all callbacks come from executor threads. */
    public interface Observer {
        /** Called before the first event of the run, on the thread that started it. */
        void started(Graph graph);

        void event(RunEvent event);

        void finished(RunResult result);
    }

    private final NodeCatalog catalog;
    private final NodeOutputs outputs;
    private final WorkbenchLog log;
    private volatile Path cacheDir;
    private volatile long nodeTimeoutSeconds;
    private final List<Observer> observers = new CopyOnWriteArrayList<>();
    private final AtomicReference<RunHandle> current = new AtomicReference<>();
    private volatile RunOptions.Isolation isolation;

    /**
     * @param isolation where nodes run: worker processes in an installed product, so that a native crash fails a
     *                  node rather than the artist's session; in-process in tests
     */
    public JobRunner(NodeCatalog catalog, NodeOutputs outputs, WorkbenchLog log, Path cacheDir,
            RunOptions.Isolation isolation) {
        this.isolation = isolation;
        this.catalog = catalog;
        this.outputs = outputs;
        this.log = log;
        this.cacheDir = cacheDir;
    }

    /** Where the next run caches, where its nodes run and how long one may take (the preferences). */
    public void configure(Path cache, RunOptions.Isolation where, long timeoutSeconds) {
        cacheDir = cache;
        isolation = where;
        nodeTimeoutSeconds = timeoutSeconds;
    }

    public boolean running() {
        return current.get() != null;
    }

    /** Starts the graph unless a run is going; returns false when it could not start. */
    public boolean start(Graph graph, Path baseDir) {
        return start(graph, baseDir, List.of());
    }

    /** Starts the graph with file parameters confined to the project folder and {@code allowedRoots}. */
    public boolean start(Graph graph, Path baseDir, List<Path> allowedRoots) {
        PipelineEngine engine = catalog.engine().orElse(null);
        if (engine == null) {
            log.info("cannot run: the pipeline engine is not available");
            return false;
        }
        if (running()) {
            log.info("a run is already going; cancel it first");
            return false;
        }
        int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        observers.forEach(o -> o.started(graph));
        RunHandle handle = engine.start(graph, new RunOptions(baseDir, cacheDir, parallelism, null, isolation,
                isolation == RunOptions.Isolation.WORKER_PROCESS ? nodeTimeoutSeconds : 0)
                .withAllowedRoots(allowedRoots), this::onEvent);
        current.set(handle);
        log.info("run " + handle.runId() + " started: " + graph.nodes().size() + " node(s)");
        handle.result().thenAccept(r -> finish(handle, r));
        return true;
    }

    public void cancel() {
        RunHandle h = current.get();
        if (h != null) {
            log.info("cancelling run " + h.runId());
            h.cancel();
        }
    }

    /** Cancels one node of the current run; the nodes that depend on it are skipped. */
    public void cancel(String nodeId) {
        RunHandle h = current.get();
        if (h != null) {
            log.info("cancelling node " + nodeId + " of run " + h.runId());
            h.cancel(nodeId);
        }
    }

    private void onEvent(RunEvent e) {
        if (e.kind() == RunEvent.Kind.LOG || (e.kind() == RunEvent.Kind.STATE && e.state().isFinal())) {
            log.info((e.nodeId() == null ? "" : e.nodeId() + ": ")
                    + (e.kind() == RunEvent.Kind.STATE ? e.state().name().toLowerCase() : "")
                    + (e.message() == null || e.message().isBlank() ? "" : " " + e.message()));
        }
        observers.forEach(o -> o.event(e));
    }

    private void finish(RunHandle handle, RunResult result) {
        result.nodes().values().stream().filter(o -> o.state().isSuccess())
                .forEach(o -> outputs.put(o.nodeId(), o.outputs()));
        result.problems().forEach(p -> log.info("invalid: " + p.message()));
        log.info("run " + result.runId() + (result.succeeded() ? " succeeded" : result.invalid()
                ? " did not start: the graph is invalid" : " ended with failures"));
        current.compareAndSet(handle, null);
        observers.forEach(o -> o.finished(result));
    }

    public void addObserver(Observer o) {
        observers.add(o);
    }

    public void removeObserver(Observer o) {
        observers.remove(o);
    }
}
