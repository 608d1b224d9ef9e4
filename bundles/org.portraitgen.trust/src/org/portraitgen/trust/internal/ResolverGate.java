package org.portraitgen.trust.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Keeps untrusted bundles from resolving. A jar dropped into the watched dropins folder is installed by File
 * Install, but unless it is trusted it never resolves, so none of its code runs; trusting it and refreshing lets it
 * start. Bundles of the installation itself are not gated.
 */
@Component(service = ResolverHookFactory.class, immediate = true)
public class ResolverGate implements ResolverHookFactory {

    @Reference
    private BundleTrustImpl trust;

    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private Path dropins;

    @Activate
    void activate(BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        dropins = dir == null ? null : Path.of(dir).toAbsolutePath().normalize();
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                candidates.removeIf(rev -> !allowed(rev.getBundle()));
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton,
                    Collection<BundleCapability> collisionCandidates) {
                // no opinion
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                // no opinion
            }

            @Override
            public void end() {
                // stateless
            }
        };
    }

    private boolean allowed(Bundle bundle) {
        Path jar = dropinJar(bundle);
        if (jar == null) {
            return true;
        }
        try {
            if (trust.isTrusted(jar)) {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: not trusted
        }
        if (reported.add(jar.toString())) {
            System.err.println("portraitgen: " + jar.getFileName() + " (" + bundle.getSymbolicName()
                    + ") is not trusted and stays inactive; 'portraitgen bundles inspect " + jar
                    + "' shows what it brings, 'portraitgen bundles trust " + jar + "' lets it run");
        }
        return false;
    }

    /** The jar of a bundle installed from the dropins folder, else null. */
    private Path dropinJar(Bundle bundle) {
        String location = bundle.getLocation();
        if (dropins == null || location == null) {
            return null;
        }
        try {
            String uri = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
            Path path = Path.of(URI.create(uri)).toAbsolutePath().normalize();
            return path.startsWith(dropins) ? path : null;
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException notAFile) {
            return null;
        }
    }
}
