package org.portraitgen.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.pipeline.PipelineEngine;

/**
 * What commands work with: the framework, the output streams, the user's folder and whether a person watches a
 * terminal (then progress is a redrawn bar, else plain lines).
 */
public record CliEnvironment(BundleContext bundleContext, PrintWriter out, PrintWriter err, Path cwd,
        boolean terminal) {

    /** Waits for the engine, which SCR activates once the pipeline bundle is up. */
    public PipelineEngine engine() {
        return service(PipelineEngine.class);
    }

    public <S> S service(Class<S> type) {
        return service(type, null);
    }

    /** The best-ranked service of the type matching the LDAP filter (null: any), waiting up to 30 s for it. */
    public <S> S service(Class<S> type, String filter) {
        ServiceTracker<S, S> tracker;
        try {
            tracker = filter == null ? new ServiceTracker<>(bundleContext, type, null)
                    : new ServiceTracker<>(bundleContext, bundleContext.createFilter("(&(objectClass="
                            + type.getName() + ")" + filter + ")"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad service filter " + filter, e);
        }
        tracker.open();
        try {
            S s = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
            if (s == null) {
                throw new IllegalStateException("no " + type.getSimpleName() + " service" + (filter == null ? ""
                        : " " + filter) + " came up within 30 s; "
                        + "is the installation complete? ('portraitgen bundles list' shows what is running)");
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + type.getSimpleName(), e);
        } finally {
            tracker.close();
        }
    }

    /** The folder File Install watches; bundles copied there are installed without a restart. */
    public Path dropins() {
        String dir = bundleContext.getProperty("felix.fileinstall.dir");
        return cwd.resolve(dir == null ? "dropins" : dir).toAbsolutePath().normalize();
    }

    /** Where run caches live unless a command says otherwise. */
    public Path defaultCache() {
        String configured = bundleContext.getProperty("portraitgen.cache");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "portraitgen");
    }

    /**
     * The roots file parameters may name besides the project folder: {@code --allow} folders, then
     * {@code PORTRAITGEN_ALLOWED_ROOTS} (or the framework property {@code portraitgen.allowedRoots}), a list
     * separated like PATH, and the files named on the command line by {@code --set}.
     */
    public java.util.List<Path> allowedRoots(java.util.List<Path> allow, java.util.List<Path> setFiles) {
        java.util.List<Path> roots = new java.util.ArrayList<>();
        allow.forEach(p -> roots.add(cwd.resolve(p).toAbsolutePath().normalize()));
        String configured = System.getenv("PORTRAITGEN_ALLOWED_ROOTS");
        if (configured == null || configured.isBlank()) {
            configured = bundleContext.getProperty("portraitgen.allowedRoots");
        }
        if (configured != null) {
            for (String part : configured.split(java.io.File.pathSeparator)) {
                if (!part.isBlank()) {
                    roots.add(cwd.resolve(part.strip()).toAbsolutePath().normalize());
                }
            }
        }
        roots.addAll(setFiles);
        return roots;
    }
}
