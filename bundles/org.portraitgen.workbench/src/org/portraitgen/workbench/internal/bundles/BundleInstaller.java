package org.portraitgen.workbench.internal.bundles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.portraitgen.api.node.NodeProvider;

/**
 * Installs and uninstalls bundles the way the command line does: through the watched dropins folder when Felix
 * File Install runs (so the install survives a restart), else straight into the framework. Blocking: call it off
 * the display thread.
 */
public final class BundleInstaller {
    private final BundleContext context;

    public BundleInstaller(BundleContext context) {
        this.context = context;
    }

    /** Installs and starts the jar; returns a sentence for the log. */
    public String install(Path jar) throws IOException, BundleException {
        String bsn = symbolicName(jar);
        Path dropins = dropins();
        if (dropins != null && fileInstallRunning()) {
            Files.createDirectories(dropins);
            Path tmp = Files.createTempFile(dropins, ".install-", ".part"); // File Install ignores dot files
            try {
                Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dropins.resolve(bsn + ".jar"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return "copied " + bsn + " into " + dropins + "; File Install starts it";
        }
        Bundle b = context.installBundle(jar.toUri().toString());
        b.start();
        return "installed and started " + b.getSymbolicName() + " " + b.getVersion();
    }

    /** Uninstalls the bundle, deleting its dropins file when it came from there. */
    public String uninstall(Bundle bundle) throws IOException, BundleException {
        Path dropins = dropins();
        String loc = bundle.getLocation();
        if (dropins != null && loc != null && loc.contains(dropins.toUri().getPath()) && fileInstallRunning()) {
            Path file = Path.of(java.net.URI.create(loc.startsWith("file:") ? loc : "file:" + loc));
            Files.deleteIfExists(file);
            return "removed " + file.getFileName() + " from dropins; File Install uninstalls it";
        }
        String name = bundle.getSymbolicName();
        bundle.uninstall();
        return "uninstalled " + name;
    }

    /** The node types a bundle registers now. */
    public static List<String> nodeTypes(Bundle b) {
        ServiceReference<?>[] refs = b.getState() == Bundle.UNINSTALLED ? null : b.getRegisteredServices();
        return refs == null ? List.of() : Arrays.stream(refs)
                .filter(r -> Arrays.asList((String[]) r.getProperty("objectClass"))
                        .contains(NodeProvider.class.getName()))
                .map(r -> String.valueOf(r.getProperty(NodeProvider.TYPE_PROPERTY))).sorted().toList();
    }

    private Path dropins() {
        String dir = context.getProperty("felix.fileinstall.dir");
        return dir == null ? null : Path.of(dir);
    }

    private boolean fileInstallRunning() {
        return Arrays.stream(context.getBundles()).anyMatch(b -> "org.apache.felix.fileinstall"
                .equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE);
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            String bsn = jf.getManifest() == null ? null
                    : jf.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(jar + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName");
            }
            return bsn.split(";")[0].trim();
        }
    }
}
