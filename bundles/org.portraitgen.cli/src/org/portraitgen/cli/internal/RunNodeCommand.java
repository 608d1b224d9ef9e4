package org.portraitgen.cli.internal;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.node.FrameSlice;
import org.portraitgen.api.pipeline.PipelineEngine;
import org.portraitgen.api.pipeline.RunHandle;
import org.portraitgen.api.pipeline.RunOptions;
import org.portraitgen.api.pipeline.RunResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The worker contract shared by isolated local runs and render-farm tasks: run one node of a graph whose inputs are
 * in the shared run cache, commit its result there, and report events as JSON lines on standard output.
 */
@Command(name = "run-node", description = "Run one node of a graph against a shared run cache (worker processes "
        + "and render-farm tasks use this); events are printed as JSON lines.")
public final class RunNodeCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Parameters(index = "0", paramLabel = "GRAPH")
    Path graphFile;

    @Option(names = "--node", required = true, paramLabel = "ID")
    String node;

    @Option(names = "--cache", required = true, paramLabel = "DIR")
    Path cache;

    @Option(names = "--slice", paramLabel = "I/K", description = "run only share I of K of a per-frame node's "
            + "frames (a render-farm array task)")
    String slice;

    @Option(names = "--merge", paramLabel = "K", description = "join the node's K finished slices into its result")
    int merge;

    public RunNodeCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PipelineEngine engine = env.engine();
        Path file = env.cwd().resolve(graphFile).toAbsolutePath().normalize();
        Graph graph = engine.read(file);
        RunOptions options = new RunOptions(file.getParent(), env.cwd().resolve(cache), 1, node,
                RunOptions.Isolation.IN_PROCESS, 0, slice == null ? null : FrameSlice.parse(slice), merge);
        RunHandle handle = engine.start(graph, options, new JsonLinesPrinter(env.out()));
        // SIGTERM from the parent: cancel so the node keeps its checkpoint, and give it a moment to stop
        Thread onTerm = new Thread(() -> {
            handle.cancel();
            try {
                handle.result().get(8, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "portraitgen-worker-cancel");
        Runtime.getRuntime().addShutdownHook(onTerm);
        RunResult result = handle.result().get();
        try {
            Runtime.getRuntime().removeShutdownHook(onTerm);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
        if (!result.problems().isEmpty()) {
            result.problems().forEach(p -> env.err().println("invalid: " + p.message()));
            return Cli.INVALID;
        }
        var outcome = result.nodes().get(node);
        if (outcome != null && outcome.state().isSuccess()) {
            return Cli.OK;
        }
        result.nodes().values().stream().filter(o -> o.message() != null)
                .forEach(o -> env.err().println("failed: " + o.message()));
        return result.invalid() ? Cli.INVALID : Cli.FAILURE;
    }
}
