package org.portraitgen.pipeline.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.pipeline.PipelineEngine;
import org.portraitgen.api.pipeline.RunEvent;
import org.portraitgen.api.pipeline.RunOptions;
import org.portraitgen.api.pipeline.RunResult;

/** Registers real node services with the framework and drives the engine that SCR activated. */
abstract class PipelineTestSupport {

    final BundleContext bundleContext = FrameworkUtil.getBundle(getClass()).getBundleContext();
    final List<ServiceRegistration<NodeProvider>> registrations = new ArrayList<>();
    final List<RunEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    PipelineEngine engine() throws InterruptedException {
        ServiceTracker<PipelineEngine, PipelineEngine> tracker = new ServiceTracker<>(bundleContext,
                PipelineEngine.class, null);
        tracker.open();
        try {
            PipelineEngine engine = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
            if (engine == null) {
                throw new AssertionError("no PipelineEngine service: is SCR running and the pipeline bundle active?");
            }
            return engine;
        } finally {
            tracker.close();
        }
    }

    <T extends NodeProvider> T register(T provider) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(NodeProvider.TYPE_PROPERTY, provider.descriptor().type());
        registrations.add(bundleContext.registerService(NodeProvider.class, provider, props));
        return provider;
    }

    void unregisterAll() {
        registrations.forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the test itself
            }
        });
        registrations.clear();
    }

    static GraphNode node(String id, String type, Object... keyValues) {
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new GraphNode(id, type, params);
    }

    static GraphEdge edge(String from, String to) {
        String[] f = from.split("\\.");
        String[] t = to.split("\\.");
        return new GraphEdge(f[0], f[1], t[0], t[1]);
    }

    static Graph graph(List<GraphNode> nodes, GraphEdge... edges) {
        return new Graph(Graph.CURRENT_SCHEMA_VERSION, "test", nodes, List.of(edges));
    }

    RunResult run(Graph graph, Path dir, int parallelism) throws Exception {
        return engine().start(graph, new RunOptions(dir, dir.resolve("cache"), parallelism, null), events::add)
                .result().get(60, TimeUnit.SECONDS);
    }
}
