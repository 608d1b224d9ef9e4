package org.portraitgen.workbench.internal.bundles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.namespace.PackageNamespace;
import org.portraitgen.api.trust.BundleInspection;

/** What a bundle brings, as text for the bundle manager: before it is installed, and once it runs. */
final class BundleReport {
    private BundleReport() {
    }

    /** A jar not installed yet, as the trust bundle read it: nothing in it has run. */
    static String of(BundleInspection i) {
        StringBuilder s = new StringBuilder();
        s.append(i.symbolicName()).append(' ').append(i.version()).append("   ").append(i.jar()).append('\n');
        s.append("Signature: ").append(switch (i.signature()) {
            case TRUSTED_SIGNER -> "signed by a trusted certificate (" + i.signer() + ")";
            case UNKNOWN_SIGNER -> "signed by a certificate this installation does not trust (" + i.signer() + ")";
            case UNSIGNED -> "unsigned: nobody vouches for this jar";
            case TAMPERED -> "TAMPERED: its content does not match its signature";
            case MALFORMED -> "not a readable bundle";
        }).append('\n');
        s.append("SHA-256: ").append(i.sha256()).append('\n');
        s.append("Node types: ").append(list(i.nodeTypes())).append('\n');
        s.append("Provides services: ").append(list(i.providedServices())).append('\n');
        s.append("Imports packages: ").append(list(i.imports())).append('\n');
        if (!i.problems().isEmpty()) {
            s.append("Cannot be installed: ").append(String.join("; ", i.problems())).append('\n');
        }
        return s.toString();
    }

    /** An installed bundle: the services it registered and the packages it imports (wired, when resolved). */
    static String of(Bundle b) {
        StringBuilder s = new StringBuilder();
        s.append(b.getSymbolicName()).append(' ').append(b.getVersion()).append("   ").append(b.getLocation())
                .append('\n');
        s.append("Node types: ").append(list(BundleInstaller.nodeTypes(b))).append('\n');
        TreeSet<String> services = new TreeSet<>();
        ServiceReference<?>[] refs = b.getState() == Bundle.UNINSTALLED ? null : b.getRegisteredServices();
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            services.addAll(Arrays.asList((String[]) r.getProperty(Constants.OBJECTCLASS)));
        }
        s.append("Provides services: ").append(list(List.copyOf(services))).append('\n');
        BundleWiring wiring = b.adapt(BundleWiring.class);
        List<String> imports = new ArrayList<>();
        if (wiring != null && wiring.isInUse()) {
            for (BundleWire w : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                imports.add(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE) + " ← "
                        + w.getProvider().getSymbolicName());
            }
            s.append("Imports packages (wired): ");
        } else {
            String header = b.getHeaders("").get(Constants.IMPORT_PACKAGE);
            if (header != null) {
                // split on commas outside quoted version ranges
                for (String part : header.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                    imports.add(part.trim());
                }
            }
            s.append("Imports packages (not resolved): ");
        }
        s.append(list(imports)).append('\n');
        return s.toString();
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : String.join(", ", items);
    }
}
