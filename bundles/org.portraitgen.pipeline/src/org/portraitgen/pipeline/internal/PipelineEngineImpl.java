package org.portraitgen.pipeline.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.portraitgen.api.farm.FarmJob;
import org.portraitgen.api.farm.FarmLayer;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.graph.GraphFormatException;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.pipeline.PipelineEngine;
import org.portraitgen.api.pipeline.RunHandle;
import org.portraitgen.api.pipeline.RunListener;
import org.portraitgen.api.pipeline.RunOptions;
import org.portraitgen.api.pipeline.RunResult;

/** The pipeline engine over every {@link NodeProvider} service registered at the time of each call. */
@Component(service = PipelineEngine.class)
public class PipelineEngineImpl implements PipelineEngine {

    private static final AtomicLong RUN_COUNTER = new AtomicLong();

    /** Node providers come and go with their bundles; the registry tracks them. */
    private final ProviderRegistry registry = new ProviderRegistry();
    private final GraphValidator validator = new GraphValidator(registry);

    /** The installed product's launcher script, when this process runs from one (worker processes use it). */
    private volatile Path launcher;

    @Activate
    void activate(BundleContext context) {
        String home = context.getProperty("portraitgen.home");
        Path script = home == null ? null : Path.of(home, "portraitgen");
        launcher = script != null && Files.isExecutable(script) ? script : null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNodeProvider(NodeProvider provider, ServiceReference<NodeProvider> ref) {
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        registry.add(new ProviderRegistry.Entry(provider, provider.descriptor(), ref.getBundle() == null ? "?"
                : ref.getBundle().getSymbolicName(), (Long) ref.getProperty(Constants.SERVICE_ID),
                ranking instanceof Integer i ? i : 0));
    }

    void removeNodeProvider(NodeProvider provider) {
        registry.remove(provider);
    }

    @Override
    public Graph read(Path file) throws IOException, GraphFormatException {
        return GraphJson.read(file);
    }

    @Override
    public Graph parse(String json, Path origin) throws GraphFormatException {
        return GraphJson.parse(json, origin);
    }

    @Override
    public void write(Graph graph, Path file) throws IOException {
        Graph stamped = new Graph(Graph.CURRENT_SCHEMA_VERSION, graph.name(), graph.nodes().stream()
                .map(n -> registry.find(n.type()).map(e -> n.withProvider(e.bundle())).orElse(n)).toList(),
                graph.edges());
        AtomicFiles.writeString(file, GraphJson.write(stamped));
    }

    @Override
    public String toJson(Graph graph) {
        return GraphJson.write(graph);
    }

    @Override
    public List<NodeDescriptor> nodeTypes() {
        return registry.all().stream().map(ProviderRegistry.Entry::descriptor).toList();
    }

    @Override
    public Optional<NodeDescriptor> nodeType(String type) {
        return registry.find(type).map(ProviderRegistry.Entry::descriptor);
    }

    @Override
    public List<Problem> validate(Graph graph, Path baseDir) {
        return validator.validate(graph, Confinement.project(baseDir));
    }

    @Override
    public List<Problem> validate(Graph graph, RunOptions options) {
        return validator.validate(graph, Confinement.of(options));
    }

    @Override
    public RunHandle start(Graph graph, RunOptions options, RunListener listener) {
        String runId = newRunId();
        GraphRun run = new GraphRun(runId, graph, options, listener, registry, launcher);
        List<Problem> problems = validate(graph, options);
        if (options.isolation() == RunOptions.Isolation.WORKER_PROCESS && launcher == null) {
            problems = List.of(new Problem(Problem.Kind.MISSING_PROVIDER, null, null, "worker processes need an "
                    + "installed product (the 'portraitgen' launcher); this process has none, run in-process"));
        }
        if (options.only() != null && graph.node(options.only()).isEmpty()) {
            problems = List.of(new Problem(Problem.Kind.UNKNOWN_PORT, options.only(), null,
                    "there is no node '" + options.only() + "' to run"));
        }
        if (!problems.isEmpty()) {
            run.result().complete(new RunResult(runId, problems, Map.of()));
            return run;
        }
        try {
            run.start(GraphValidator.topologicalOrder(graph).orElseThrow());
        } catch (IOException e) {
            run.result().complete(new RunResult(runId, List.of(new Problem(Problem.Kind.UNREADABLE_FILE, null,
                    null, "the run could not start: " + e.getMessage())), Map.of()));
        }
        return run;
    }

    @Override
    public FarmJob planFarmJob(Graph graph, RunOptions options, String queue, int retries, int slices)
            throws IOException {
        List<Problem> problems = validate(graph, options);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the graph is not valid:\n  - " + String.join("\n  - ",
                    problems.stream().map(Problem::message).toList()));
        }
        if (launcher == null) {
            throw new IOException("farm runs need an installed product (the 'portraitgen' launcher on a shared "
                    + "file system); this process has none");
        }
        String runId = newRunId();
        RunCache cache = new RunCache(options.cacheDir());
        RunPlan plan = new RunPlan(graph, GraphValidator.topologicalOrder(graph).orElseThrow(), registry,
                options.baseDir(), cache);
        Path graphFile = plan.writeResolvedGraph(runId);
        Confinement.of(options).record(graphFile);
        List<String> nodes = options.only() == null ? plan.order() : plan.withAncestors(options.only());
        List<FarmLayer> layers = nodes.stream().map(id -> new FarmLayer(id, graph.incoming(id).stream()
                .map(GraphEdge::fromNode).distinct().toList(), plan.get(id).type().resources(), retries,
                cache.has(plan.get(id).key()), plan.get(id).type().resources().perFrame() ? Math.max(1, slices) : 1))
                .toList();
        return new FarmJob(runId, graph.name(), graphFile, cache.root(), launcher, queue, layers);
    }

    private static String newRunId() {
        return String.format("%tY%<tm%<td-%<tH%<tM%<tS-%d-%s", System.currentTimeMillis(),
                RUN_COUNTER.incrementAndGet(), UUID.randomUUID().toString().substring(0, 6));
    }
}
