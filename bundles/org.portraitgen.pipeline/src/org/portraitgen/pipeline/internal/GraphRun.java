package org.portraitgen.pipeline.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.pipeline.NodeState;
import org.portraitgen.api.pipeline.RunEvent;
import org.portraitgen.api.pipeline.RunHandle;
import org.portraitgen.api.pipeline.RunListener;
import org.portraitgen.api.pipeline.RunOptions;
import org.portraitgen.api.pipeline.RunResult;
import org.portraitgen.api.pipeline.RunResult.NodeOutcome;

/**
 * One execution of a validated graph in this process: nodes in dependency order, independent branches in parallel
 * on a pool of {@code parallelism} threads, each node's result taken from the cache when its key is known.
 */
final class GraphRun implements RunHandle {

    private final String runId;
    private final Graph graph;
    private final RunOptions options;
    private final RunListener listener;
    private final ProviderRegistry registry;
    private final RunCache cache;
    private RunPlan plans;
    private final Map<String, NodeExecutionContext> running = new ConcurrentHashMap<>();
    private final Set<String> cancelledNodes = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();
    private final Consumer<ProviderRegistry.Entry> departureWatch = this::providerLeft;
    private volatile boolean cancelled;
    private ExecutorService pool;

    /** The installation's launcher, for worker processes; null when not running from an installed product. */
    private final Path launcher;
    private Path workerGraph;

    GraphRun(String runId, Graph graph, RunOptions options, RunListener listener, ProviderRegistry registry,
            Path launcher) {
        this.launcher = launcher;
        this.runId = runId;
        this.graph = graph;
        this.options = options;
        this.listener = listener;
        this.registry = registry;
        this.cache = new RunCache(options.cacheDir());
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public CompletableFuture<RunResult> result() {
        return result;
    }

    @Override
    public void cancel() {
        cancelled = true;
        running.values().forEach(ctx -> ctx.cancel(null));
    }

    @Override
    public void cancel(String nodeId) {
        cancelledNodes.add(nodeId);
        NodeExecutionContext ctx = running.get(nodeId);
        if (ctx != null) {
            ctx.cancel(null);
        }
    }

    /** Plans every node (keys need input files hashed), then schedules them. */
    void start(List<String> order) throws IOException {
        plans = new RunPlan(graph, order, registry, options.baseDir(), cache);
        List<String> selected = options.only() == null ? order : plans.withAncestors(options.only());
        if (options.isolation() == RunOptions.Isolation.WORKER_PROCESS) {
            workerGraph = plans.writeResolvedGraph(runId);
            Confinement.of(options).record(workerGraph);
        }
        registry.onDeparture(departureWatch);
        pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
            Thread t = new Thread(r, "portraitgen-run-" + runId);
            t.setDaemon(true);
            return t;
        });
        Map<String, CompletableFuture<NodeOutcome>> futures = new LinkedHashMap<>();
        for (String id : selected) {
            emit(RunEvent.state(runId, id, NodeState.WAITING, null));
            List<CompletableFuture<NodeOutcome>> deps = graph.incoming(id).stream()
                    .map(e -> futures.get(e.fromNode())).toList();
            futures.put(id, CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
                    .thenApplyAsync(v -> runNode(id, deps.stream().map(CompletableFuture::join).toList()), pool));
        }
        CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).whenComplete((v, err) -> {
            registry.removeDepartureListener(departureWatch);
            pool.shutdown();
            Map<String, NodeOutcome> outcomes = new LinkedHashMap<>();
            futures.forEach((id, f) -> outcomes.put(id, f.join()));
            emit(new RunEvent(runId, RunEvent.Kind.STATE, null, null, 1, 0, summary(outcomes), null, 0, 0));
            result.complete(new RunResult(runId, List.of(), outcomes));
        });
    }

    private NodeOutcome runNode(String id, List<NodeOutcome> deps) {
        RunPlan.Plan plan = plans.get(id);
        long t0 = System.nanoTime();
        if (cancelled || cancelledNodes.contains(id)) {
            return finish(id, NodeState.CANCELLED, Map.of(), "cancelled before it started", t0);
        }
        for (NodeOutcome dep : deps) {
            if (!dep.state().isSuccess()) {
                return finish(id, NodeState.SKIPPED, Map.of(), "not run: node '" + dep.nodeId() + "' "
                        + dep.state().name().toLowerCase(), t0);
            }
        }
        var entry = registry.find(plan.node().type());
        if (entry.isEmpty()) {
            return finish(id, NodeState.FAILED, Map.of(), "node '" + id + "' cannot run: the provider of type '"
                    + plan.node().type() + "' is no longer installed", t0);
        }
        Map<String, Path> inputs = new HashMap<>();
        for (GraphEdge e : graph.incoming(id)) {
            inputs.put(e.toPort(), cache.outputs(plans.get(e.fromNode()).key()).resolve(e.fromPort()));
        }
        NodeParameters params = new NodeParameters(plan.parameters());
        if (cache.has(plan.key())) {
            Map<String, Path> outputs = outputsOf(plan);
            try (NodeExecutionContext ctx = context(plan, params, inputs, cache.outputs(plan.key()))) {
                entry.get().provider().publish(ctx);
            } catch (Exception | LinkageError e) {
                return finish(id, NodeState.FAILED, outputs, "node '" + id + "' could not publish its cached "
                        + "result: " + describe(e), t0);
            }
            return finish(id, NodeState.CACHED, outputs, "served from cache", t0);
        }
        emit(RunEvent.state(runId, id, NodeState.RUNNING, null));
        Path staging = null;
        NodeExecutionContext ctx = null;
        try {
            staging = cache.newStaging(plan.key(), runId);
            ctx = context(plan, params, inputs, Files.createDirectories(staging.resolve("outputs")));
            running.put(id, ctx);
            if (cancelled || cancelledNodes.contains(id)) {
                ctx.cancel(null);
            }
            if (id.equals(options.only()) && options.slice() != null) {
                return executeSlice(plan, entry.get().provider(), ctx, staging, t0);
            } else if (id.equals(options.only()) && options.mergeSlices() > 0) {
                NodeOutcome failed = mergeSlices(plan, entry.get().provider(), ctx, staging, t0);
                if (failed != null) {
                    return failed;
                }
            } else if (workerGraph != null) {
                NodeOutcome failed = executeInWorker(plan, ctx, t0);
                if (failed != null) {
                    return failed;
                }
            } else {
                entry.get().provider().execute(ctx);
                ctx.checkCancelled();
                for (PortSpec out : plan.type().outputs()) {
                    ctx.output(out.name()); // every declared port has a folder, even if the node left it empty
                }
                cache.commit(staging, plan.key(), nodeJson(plan, t0));
            }
            running.remove(id);
            try (NodeExecutionContext publishCtx = context(plan, params, inputs, cache.outputs(plan.key()))) {
                entry.get().provider().publish(publishCtx);
            }
            return finish(id, NodeState.SUCCEEDED, outputsOf(plan), null, t0);
        } catch (CancellationException e) {
            String reason = ctx == null ? null : ctx.cancelReason();
            return reason != null ? finish(id, NodeState.FAILED, Map.of(), reason, t0)
                    : finish(id, NodeState.CANCELLED, Map.of(), "cancelled; finished nodes stay cached, so a new "
                            + "run resumes here", t0);
        } catch (NodeException e) {
            return finish(id, NodeState.FAILED, Map.of(), "node '" + id + "' failed: " + e.getMessage(), t0,
                    e instanceof InvalidInputException);
        } catch (Exception | LinkageError | OutOfMemoryError | StackOverflowError e) {
            String reason = ctx == null ? null : ctx.cancelReason();
            return finish(id, NodeState.FAILED, Map.of(), reason != null ? reason
                    : "node '" + id + "' (" + plan.node().type() + ") failed with an internal error: " + describe(e),
                    t0);
        } finally {
            running.remove(id);
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (IOException ignored) {
                    // the log is best effort
                }
            }
            if (staging != null) {
                try {
                    AtomicFiles.deleteTree(staging);
                } catch (IOException ignored) {
                    // a stale staging folder is replaced by the next run of the node
                }
            }
        }
    }

    /** Executes one slice of a per-frame node and keeps it apart in the cache until the slices are merged. */
    private NodeOutcome executeSlice(RunPlan.Plan plan, NodeProvider provider, NodeExecutionContext ctx,
            Path staging, long t0) throws Exception {
        String id = plan.node().id();
        int index = options.slice().index();
        if (cache.hasSlice(plan.key(), index)) {
            return finish(id, NodeState.CACHED, Map.of(), "slice " + options.slice() + " served from cache", t0);
        }
        provider.execute(ctx.withSlice(options.slice()));
        ctx.checkCancelled();
        for (PortSpec out : plan.type().outputs()) {
            ctx.output(out.name());
        }
        cache.commitSlice(staging, plan.key(), index, nodeJson(plan, t0));
        return finish(id, NodeState.SUCCEEDED, Map.of(), "slice " + options.slice() + " done", t0);
    }

    /** Joins the finished slices of a per-frame node into its result; returns its failure, or null. */
    private NodeOutcome mergeSlices(RunPlan.Plan plan, NodeProvider provider, NodeExecutionContext ctx,
            Path staging, long t0) throws Exception {
        String id = plan.node().id();
        List<Path> slices = new ArrayList<>();
        for (int i = 0; i < options.mergeSlices(); i++) {
            if (!cache.hasSlice(plan.key(), i)) {
                return finish(id, NodeState.FAILED, Map.of(), "node '" + id + "': slice " + i + "/"
                        + options.mergeSlices() + " is not in the cache; its task must finish before the merge", t0);
            }
            slices.add(cache.slice(plan.key(), i).resolve("outputs"));
        }
        provider.merge(slices, ctx);
        ctx.checkCancelled();
        for (PortSpec out : plan.type().outputs()) {
            ctx.output(out.name());
        }
        cache.commit(staging, plan.key(), nodeJson(plan, t0));
        cache.dropSlices(plan.key());
        return null;
    }

    /** Runs the node in a worker process; returns its failure, or null when its result is in the cache. */
    private NodeOutcome executeInWorker(RunPlan.Plan plan, NodeExecutionContext ctx, long t0) throws Exception {
        String id = plan.node().id();
        WorkerProcess.Outcome outcome = WorkerProcess.run(launcher, workerGraph, id, cache.root(),
                cache.log(runId, id), options.nodeTimeoutSeconds(), ctx, ctx::isCancelled);
        if (outcome == null) {
            throw new CancellationException("cancelled");
        }
        if (!outcome.succeeded()) {
            return finish(id, NodeState.FAILED, Map.of(), "node '" + id + "' failed: " + outcome.message(), t0,
                    outcome.invalidInput());
        }
        if (!cache.has(plan.key())) {
            return finish(id, NodeState.FAILED, Map.of(), "node '" + id + "': its worker finished but left no "
                    + "result in the cache " + cache.root() + " (a different installation version?)", t0);
        }
        return null;
    }

    private NodeExecutionContext context(RunPlan.Plan plan, NodeParameters params, Map<String, Path> inputs,
            Path outputsDir) throws IOException {
        return new NodeExecutionContext(runId, plan.node().id(), params, inputs, outputsDir,
                cache.checkpoints(plan.key()), cache.log(runId, plan.node().id()), this::emit);
    }

    private Map<String, Path> outputsOf(RunPlan.Plan plan) {
        Map<String, Path> outputs = new LinkedHashMap<>();
        plan.type().outputs().forEach(p -> outputs.put(p.name(), cache.outputs(plan.key()).resolve(p.name())));
        return outputs;
    }

    private void providerLeft(ProviderRegistry.Entry entry) {
        running.forEach((id, ctx) -> {
            if (plans.get(id).node().type().equals(entry.descriptor().type())
                    && registry.find(entry.descriptor().type()).isEmpty()) {
                ctx.cancel("node '" + id + "' failed: the bundle '" + entry.bundle() + "' that provides type '"
                        + entry.descriptor().type() + "' was stopped or uninstalled during the run");
            }
        });
    }

    private NodeOutcome finish(String id, NodeState state, Map<String, Path> outputs, String message, long t0) {
        return finish(id, state, outputs, message, t0, false);
    }

    private NodeOutcome finish(String id, NodeState state, Map<String, Path> outputs, String message, long t0,
            boolean invalidInput) {
        emit(RunEvent.state(runId, id, state, message));
        return new NodeOutcome(id, state, outputs, state == NodeState.FAILED ? message : null,
                (System.nanoTime() - t0) / 1e9, invalidInput);
    }

    private void emit(RunEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            // a broken listener (e.g. a closed terminal) must not break the run
        }
    }

    private String nodeJson(RunPlan.Plan plan, long t0) {
        return "{\"node\":\"" + plan.node().id() + "\",\"type\":\"" + plan.type().type() + "\",\"version\":\""
                + plan.type().version() + "\",\"run\":\"" + runId + "\",\"finished\":\"" + Instant.now()
                + "\",\"seconds\":" + (System.nanoTime() - t0) / 1e9 + "}\n";
    }

    private static String summary(Map<String, NodeOutcome> outcomes) {
        Map<NodeState, Integer> counts = new LinkedHashMap<>();
        outcomes.values().forEach(o -> counts.merge(o.state(), 1, Integer::sum));
        return "run finished: " + counts;
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
