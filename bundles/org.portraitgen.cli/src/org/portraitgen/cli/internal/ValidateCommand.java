package org.portraitgen.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.api.pipeline.PipelineEngine;
import org.portraitgen.api.pipeline.RunOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Check a graph against the installed node types without running it.")
public final class ValidateCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Parameters(index = "0", paramLabel = "GRAPH")
    Path graphFile;

    @Option(names = "--set", paramLabel = "NODE.PARAM=VALUE", description = "override a parameter (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--allow", paramLabel = "DIR", description = "a folder besides the graph's project folder that "
            + "file parameters may name (repeatable; also PORTRAITGEN_ALLOWED_ROOTS)")
    List<Path> allow = new ArrayList<>();

    public ValidateCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PipelineEngine engine = env.engine();
        Path file = env.cwd().resolve(graphFile).toAbsolutePath().normalize();
        List<Path> named = new ArrayList<>();
        Graph graph = GraphLoader.load(engine, file, overrides, env.cwd(), named);
        List<Problem> problems = engine.validate(graph, RunOptions.of(file.getParent(), env.defaultCache())
                .withAllowedRoots(env.allowedRoots(allow, named)));
        if (problems.isEmpty()) {
            env.out().println(graphFile + ": valid (" + graph.nodes().size() + " nodes, " + graph.edges().size()
                    + " edges)");
            return Cli.OK;
        }
        env.err().println(graphFile + ": " + problems.size() + " problem(s)");
        problems.forEach(p -> env.err().println("  - " + p.message()));
        return Cli.INVALID;
    }
}
