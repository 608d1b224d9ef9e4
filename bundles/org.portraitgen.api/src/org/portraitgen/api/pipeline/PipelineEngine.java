package org.portraitgen.api.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.portraitgen.api.farm.FarmJob;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphFormatException;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.api.node.NodeDescriptor;

/**
 * Reads, validates and runs pipeline graphs over the node providers registered at the moment of the call. The one
 * entry point for the CLI, the workbench and render-farm workers.
 */
@ProviderType
public interface PipelineEngine {

    Graph read(Path file) throws IOException, GraphFormatException;

    Graph parse(String json, Path origin) throws GraphFormatException;

    /** Writes atomically: a reader never sees a half-written file. */
    void write(Graph graph, Path file) throws IOException;

    String toJson(Graph graph);

    /** The node types available now, sorted by category and label. */
    List<NodeDescriptor> nodeTypes();

    Optional<NodeDescriptor> nodeType(String type);

    /**
     * Every problem of the graph, each naming its node, port or parameter. Relative file parameters are resolved
     * against {@code baseDir}; file parameters must lie within the project folder (see
     * {@link RunOptions#allowedRoots()}).
     */
    List<Problem> validate(Graph graph, Path baseDir);

    /**
     * As {@link #validate(Graph, Path)}, with the file parameters confined to the project folder of
     * {@code options.baseDir()} and {@code options.allowedRoots()}, as a run with these options is.
     *
     * @since 1.2
     */
    default List<Problem> validate(Graph graph, RunOptions options) {
        return validate(graph, options.baseDir());
    }

    /**
     * Starts a run in the background. Invalid graphs fail the returned handle's result with the validation
     * problems, without running anything.
     */
    RunHandle start(Graph graph, RunOptions options, RunListener listener);

    /**
     * Prepares a run for a render farm: writes the resolved graph into the cache and describes each node (or just
     * {@code options.only()} and what it needs) as a farm layer with the graph's dependencies, the node type's
     * resource needs and whether its result is already cached. Per-frame nodes are split into {@code slices}
     * frame ranges (a job array and a merge task) when {@code slices > 1}.
     *
     * @throws IllegalArgumentException when the graph is invalid (the message lists every problem)
     * @throws IOException when input files cannot be read or this process is not an installed product
     */
    FarmJob planFarmJob(Graph graph, RunOptions options, String queue, int retries, int slices)
            throws IOException;
}
