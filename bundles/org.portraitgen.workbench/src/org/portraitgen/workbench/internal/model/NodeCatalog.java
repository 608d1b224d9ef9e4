package org.portraitgen.workbench.internal.model;

import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.pipeline.PipelineEngine;

/**
 * The node types on offer, as the pipeline engine sees them, with a signal when a {@link NodeProvider} appears or
 * leaves. The signal comes on a framework thread: listeners hop to the UI thread themselves. The engine is tracked
 * too, so a restarted pipeline bundle is picked up instead of being held past its unregistration.
 */
public final class NodeCatalog implements AutoCloseable {

    private final ServiceTracker<PipelineEngine, PipelineEngine> engines;
    private final ServiceTracker<NodeProvider, NodeProvider> providers;
    private final Listeners listeners = new Listeners();

    public NodeCatalog(BundleContext context) {
        engines = new ServiceTracker<>(context, PipelineEngine.class, null);
        providers = new ServiceTracker<>(context, NodeProvider.class, null) {
            @Override
            public NodeProvider addingService(ServiceReference<NodeProvider> reference) {
                NodeProvider p = super.addingService(reference);
                listeners.fire();
                return p;
            }

            @Override
            public void removedService(ServiceReference<NodeProvider> reference, NodeProvider service) {
                super.removedService(reference, service);
                listeners.fire();
            }
        };
        engines.open();
        providers.open();
    }

    /** The engine, if the pipeline bundle is running. */
    public Optional<PipelineEngine> engine() {
        return Optional.ofNullable(engines.getService());
    }

    public List<NodeDescriptor> nodeTypes() {
        return engine().map(PipelineEngine::nodeTypes).orElse(List.of());
    }

    public Optional<NodeDescriptor> nodeType(String type) {
        return engine().flatMap(e -> e.nodeType(type));
    }

    /** Called on a framework thread after a provider came or went. */
    public void addListener(Runnable r) {
        listeners.add(r);
    }

    public void removeListener(Runnable r) {
        listeners.remove(r);
    }

    @Override
    public void close() {
        providers.close();
        engines.close();
    }
}
