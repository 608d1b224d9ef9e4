package org.portraitgen.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.portraitgen.api.farm.FarmAdapter;
import org.portraitgen.api.farm.FarmJob;
import org.portraitgen.api.farm.FarmLayer;
import org.portraitgen.api.farm.FarmStatus;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.pipeline.NodeState;
import org.portraitgen.api.pipeline.PipelineEngine;
import org.portraitgen.api.pipeline.RunHandle;
import org.portraitgen.api.pipeline.RunOptions;
import org.portraitgen.api.pipeline.RunResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Run a pipeline graph. Unchanged nodes are served from the run cache, so an "
        + "interrupted run resumes where it stopped.")
public final class RunCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Parameters(index = "0", paramLabel = "GRAPH", description = "the graph JSON file")
    Path graphFile;

    @Option(names = "--set", paramLabel = "NODE.PARAM=VALUE", description = "override a parameter (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--allow", paramLabel = "DIR", description = "a folder besides the graph's project folder that "
            + "file parameters may name (repeatable; also PORTRAITGEN_ALLOWED_ROOTS)")
    List<Path> allow = new ArrayList<>();

    @Option(names = "--cache", paramLabel = "DIR", description = "run cache folder (default: ~/.cache/portraitgen)")
    Path cache;

    @Option(names = "--parallel", paramLabel = "N", description = "nodes run at once (default: half the cores)")
    Integer parallel;

    @Option(names = "--only", paramLabel = "NODE", description = "run this node and what it needs, nothing else")
    String only;

    @Option(names = "--isolation", paramLabel = "MODE", description = "where nodes run: worker (a separate process "
            + "per node, so a crash fails only that node; the default in an installation) or in-process")
    String isolation;

    @Option(names = "--node-timeout", paramLabel = "SECONDS", description = "stop a worker that runs one node "
            + "longer than this (default: no limit)")
    long nodeTimeout;

    @Option(names = "--farm", paramLabel = "ID", description = "run on a render farm (e.g. slurm): one task per "
            + "node, sharing the cache folder, which must be on a file system the farm machines see")
    String farm;

    @Option(names = "--partition", paramLabel = "NAME", description = "farm queue or partition")
    String partition;

    @Option(names = "--retries", paramLabel = "N", description = "farm: try a failed task again N times "
            + "(default 2)")
    int retries = 2;

    @Option(names = "--slices", paramLabel = "K", description = "farm: split per-frame nodes into K frame ranges "
            + "run as a job array (default 4)")
    int slices = 4;

    @Option(names = "--detach", description = "farm: return once submitted ('portraitgen farm status RUN')")
    boolean detach;

    public RunCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PipelineEngine engine = env.engine();
        Path file = env.cwd().resolve(graphFile).toAbsolutePath().normalize();
        List<Path> named = new ArrayList<>();
        Graph graph = GraphLoader.load(engine, file, overrides, env.cwd(), named);
        RunOptions defaults = RunOptions.of(file.getParent(), cache == null ? env.defaultCache()
                : env.cwd().resolve(cache));
        RunOptions options = new RunOptions(defaults.baseDir(), defaults.cacheDir(),
                parallel == null ? defaults.parallelism() : parallel, only, isolation(), nodeTimeout)
                .withAllowedRoots(env.allowedRoots(allow, named));
        ProgressPrinter printer = new ProgressPrinter(env.out(), env.terminal(), graph.nodes().size());
        if (farm != null) {
            return runOnFarm(engine, graph, options, printer);
        }
        RunHandle handle = engine.start(graph, options, printer);
        Thread cancelOnInterrupt = new Thread(handle::cancel, "portraitgen-cancel");
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        RunResult result;
        try {
            result = handle.result().get();
        } finally {
            printer.finish();
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is cancelling the run
            }
        }
        return report(result, options);
    }

    private Integer runOnFarm(PipelineEngine engine, Graph graph, RunOptions options, ProgressPrinter printer)
            throws Exception {
        FarmAdapter adapter = FarmCommand.adapter(env, farm);
        FarmJob job = engine.planFarmJob(graph, options, partition, retries, slices);
        adapter.submit(job);
        long cached = job.layers().stream().filter(FarmLayer::cached).count();
        env.out().printf("submitted run %s to %s: %d node(s), %d from cache%n", job.runId(), farm,
                job.layers().size() - cached, cached);
        if (detach) {
            env.out().println("follow it with: portraitgen farm status " + job.runId() + " --cache "
                    + options.cacheDir());
            return Cli.OK;
        }
        FarmStatus status = new FarmFollower(adapter, options.cacheDir(), job.runId(), printer).follow();
        printer.finish();
        if (status.succeeded()) {
            env.out().printf("run %s finished on %s: %d node(s) executed, %d from cache (cache: %s)%n",
                    job.runId(), farm, job.layers().size() - cached, cached, options.cacheDir());
            return Cli.OK;
        }
        env.err().println("portraitgen: farm run " + job.runId() + " did not finish:");
        status.layers().stream().filter(l -> l.state() != FarmStatus.State.SUCCEEDED
                && l.state() != FarmStatus.State.CACHED).forEach(l -> env.err().println("  - " + l.nodeId() + ": "
                        + l.state().name().toLowerCase() + (l.message() == null ? "" : " - " + l.message())
                        + (l.state() == FarmStatus.State.FAILED ? "; log: " + l.log() : "")));
        return Cli.FAILURE;
    }

    private RunOptions.Isolation isolation() {
        String mode = isolation != null ? isolation
                : env.bundleContext().getProperty("portraitgen.home") != null ? "worker" : "in-process";
        return switch (mode) {
            case "worker" -> RunOptions.Isolation.WORKER_PROCESS;
            case "in-process" -> RunOptions.Isolation.IN_PROCESS;
            default -> throw new IllegalArgumentException("--isolation must be 'worker' or 'in-process', not '"
                    + mode + "'");
        };
    }

    private Integer report(RunResult result, RunOptions options) {
        if (!result.problems().isEmpty()) {
            env.err().println("portraitgen: " + graphFile + " is not valid:");
            result.problems().forEach(p -> env.err().println("  - " + p.message()));
            return Cli.INVALID;
        }
        long executed = result.nodes().values().stream().filter(o -> o.state() == NodeState.SUCCEEDED).count();
        long cached = result.nodes().values().stream().filter(o -> o.state() == NodeState.CACHED).count();
        if (result.succeeded()) {
            env.out().printf("run %s finished: %d node(s) executed, %d from cache (cache: %s)%n", result.runId(),
                    executed, cached, options.cacheDir());
            return Cli.OK;
        }
        env.err().println("portraitgen: run " + result.runId() + " did not finish:");
        result.nodes().values().stream().filter(o -> !o.state().isSuccess()).forEach(o -> env.err()
                .println("  - " + o.nodeId() + ": " + o.state().name().toLowerCase()
                        + (o.message() == null ? "" : " - " + o.message())));
        env.err().println("  logs: " + options.cacheDir().resolve("logs").resolve(result.runId())
                + "; run the same command again to resume");
        return result.invalid() ? Cli.INVALID : Cli.FAILURE;
    }
}
