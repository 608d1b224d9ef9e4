package org.portraitgen.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.trust.BundleInspection;
import org.portraitgen.api.trust.BundleTrust;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bundles", description = "List, install or uninstall bundles (node types, editors, trackers).",
        subcommands = {BundlesCommand.ListBundles.class, BundlesCommand.Install.class,
            BundlesCommand.Uninstall.class, BundlesCommand.Inspect.class, BundlesCommand.Trust.class})
public final class BundlesCommand implements Runnable {

    private static final long APPEAR_TIMEOUT_MS = 15_000;

    private final CliEnvironment env;

    public BundlesCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public void run() {
        new ListBundles(env).call();
    }

    static List<String> nodeTypesOf(Bundle b) {
        List<String> types = new ArrayList<>();
        ServiceReference<?>[] refs = b.getRegisteredServices();
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object type = ref.getProperty(NodeProvider.TYPE_PROPERTY);
            if (type != null) {
                types.add(type.toString());
            }
        }
        return types;
    }

    static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }

    @Command(name = "list", description = "Every bundle with its state and the node types it provides.")
    static final class ListBundles implements Callable<Integer> {
        private final CliEnvironment env;

        @Option(names = "--ours", description = "only PortraitGen and dropins bundles")
        boolean ours;

        ListBundles(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            Path dropins = env.dropins();
            for (Bundle b : env.bundleContext().getBundles()) {
                boolean fromDropins = fromDropins(b, dropins);
                if (ours && !fromDropins && !b.getSymbolicName().startsWith("org.portraitgen")) {
                    continue;
                }
                List<String> types = nodeTypesOf(b);
                env.out().printf("%4d  %-11s %s %s%s%s%n", b.getBundleId(), state(b), b.getSymbolicName(),
                        b.getVersion(), fromDropins ? "  [dropins]" : "",
                        types.isEmpty() ? "" : "  nodes: " + String.join(", ", types));
            }
            return Cli.OK;
        }
    }

    /** Lazily activated bundles stay STARTING until first used; SCR serves their components already. */
    static boolean started(Bundle b) {
        return b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING;
    }

    static boolean fromDropins(Bundle b, Path dropins) {
        String loc = b.getLocation();
        return loc != null && loc.contains(dropins.toUri().getPath());
    }

    /** What a jar is and brings, for a person deciding whether to let it run. */
    static void describe(CliEnvironment env, BundleInspection i) {
        env.out().println("bundle   " + i.symbolicName() + " " + i.version() + "  (" + i.jar() + ")");
        env.out().println("signed   " + switch (i.signature()) {
            case TRUSTED_SIGNER -> "by " + i.signer() + " (trusted signer)";
            case UNKNOWN_SIGNER -> "by " + i.signer() + " (NOT in the trust store)";
            case UNSIGNED -> "no (unsigned)";
            case TAMPERED -> "TAMPERED";
            case MALFORMED -> "not a valid bundle";
        });
        env.out().println("sha256   " + i.sha256());
        env.out().println("provides " + (i.providedServices().isEmpty() ? "no services"
                : String.join(", ", i.providedServices())));
        if (!i.nodeTypes().isEmpty()) {
            env.out().println("nodes    " + String.join(", ", i.nodeTypes()));
        }
        env.out().println("imports  " + (i.imports().isEmpty() ? "nothing" : String.join(", ", i.imports())));
        i.problems().forEach(p -> env.out().println("problem  " + p));
    }

    @Command(name = "inspect", description = "Show what a bundle jar is and brings (signature, services, node "
            + "types, imports) without installing it.")
    static final class Inspect implements Callable<Integer> {
        private final CliEnvironment env;

        @Parameters(index = "0", paramLabel = "JAR")
        Path jar;

        Inspect(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            BundleInspection i = env.service(BundleTrust.class).inspect(env.cwd().resolve(jar).normalize());
            describe(env, i);
            return i.installable() ? Cli.OK : Cli.INVALID;
        }
    }

    @Command(name = "trust", description = "Trust this exact jar (by its SHA-256) so it may run; recorded in the "
            + "installation's trust folder. A bundle already in dropins/ starts.")
    static final class Trust implements Callable<Integer> {
        private final CliEnvironment env;

        @Parameters(index = "0", paramLabel = "JAR")
        Path jar;

        Trust(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            Path file = env.cwd().resolve(jar).toAbsolutePath().normalize();
            BundleTrust trust = env.service(BundleTrust.class);
            BundleInspection i = trust.inspect(file);
            describe(env, i);
            trust.trust(file, System.getProperty("user.name"));
            env.out().println("trusted " + i.symbolicName() + " " + i.version());
            startWaitingDropins(env);
            return Cli.OK;
        }
    }

    /** Dropins held back by the trust gate resolve and start once trusted. */
    static void startWaitingDropins(CliEnvironment env) {
        Path dropins = env.dropins();
        List<Bundle> waiting = Arrays.stream(env.bundleContext().getBundles())
                .filter(b -> b.getState() == Bundle.INSTALLED && fromDropins(b, dropins)).toList();
        if (waiting.isEmpty()) {
            return;
        }
        env.bundleContext().getBundle(0).adapt(org.osgi.framework.wiring.FrameworkWiring.class)
                .resolveBundles(waiting);
        for (Bundle b : waiting) {
            try {
                b.start(Bundle.START_ACTIVATION_POLICY);
            } catch (BundleException stillUnresolved) {
                // not trusted, or its imports are missing: 'bundles list' shows it as installed
            }
        }
    }

    @Command(name = "install", description = "Install a bundle jar: it is checked against the trust store, copied "
            + "into dropins/ and started; its node types appear without a restart.")
    static final class Install implements Callable<Integer> {
        private final CliEnvironment env;

        @Parameters(index = "0", paramLabel = "JAR")
        Path jar;

        @Option(names = "--trust", description = "trust this unsigned (or unknown-signer) jar after reading what it "
                + "brings; recorded in the installation's trust folder")
        boolean trustIt;

        Install(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            Path source = env.cwd().resolve(jar).toAbsolutePath().normalize();
            if (!Files.isRegularFile(source)) {
                throw new IllegalArgumentException("no such bundle file: " + source);
            }
            BundleTrust trust = env.service(BundleTrust.class);
            BundleInspection inspection = trust.inspect(source);
            if (!inspection.installable()) {
                describe(env, inspection);
                env.err().println("portraitgen: not installed: " + String.join("; ", inspection.problems()));
                return Cli.INVALID;
            }
            if (!trust.isTrusted(source)) {
                describe(env, inspection);
                if (!trustIt) {
                    env.err().println("portraitgen: not installed: " + inspection.symbolicName() + " is "
                            + (inspection.signer() == null ? "unsigned" : "signed by a certificate the trust store "
                                    + "does not hold") + "; check what it brings (above) and run again with --trust "
                            + "to install it");
                    return Cli.INVALID;
                }
                trust.trust(source, System.getProperty("user.name"));
                env.out().println("trusted " + inspection.symbolicName() + " " + inspection.version());
            }
            String[] identity = identity(source);
            Path dropins = Files.createDirectories(env.dropins());
            Path target = dropins.resolve(identity[0] + "_" + identity[1] + ".jar");
            Path tmp = Files.createTempFile(dropins, ".install-", ".part"); // File Install ignores dot files
            try {
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            Bundle b = fileInstallRunning() ? awaitBundle(identity[0], true)
                    : startDirectly(target);
            if (b == null || !started(b)) {
                env.err().println("portraitgen: " + identity[0] + " was copied to " + target + " but did not start "
                        + "within " + APPEAR_TIMEOUT_MS / 1000 + " s; check its imports with 'bundles list'");
                return Cli.FAILURE;
            }
            List<String> types = nodeTypesOf(b);
            env.out().println("installed " + b.getSymbolicName() + " " + b.getVersion() + " (bundle " + b.getBundleId()
                    + ")" + (types.isEmpty() ? "" : "; node types: " + String.join(", ", types)));
            return Cli.OK;
        }

        private boolean fileInstallRunning() {
            return env.bundleContext().getProperty("felix.fileinstall.dir") != null && Arrays.stream(
                    env.bundleContext().getBundles()).anyMatch(b -> "org.apache.felix.fileinstall".equals(
                            b.getSymbolicName()) && b.getState() == Bundle.ACTIVE);
        }

        private Bundle startDirectly(Path target) throws BundleException {
            Bundle b = env.bundleContext().installBundle(target.toUri().toString());
            b.start();
            return b;
        }

        private Bundle awaitBundle(String bsn, boolean active) throws InterruptedException {
            long deadline = System.currentTimeMillis() + APPEAR_TIMEOUT_MS;
            while (System.currentTimeMillis() < deadline) {
                Optional<Bundle> b = find(env, bsn);
                if (b.isPresent() && (!active || started(b.get()))) {
                    Thread.sleep(200); // let SCR register its components
                    return b.get();
                }
                Thread.sleep(100);
            }
            return find(env, bsn).orElse(null);
        }

        private static String[] identity(Path jar) throws IOException {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no such bundle file: " + jar);
            }
            try (JarFile jf = new JarFile(jar.toFile())) {
                Manifest mf = jf.getManifest();
                String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
                if (bsn == null) {
                    throw new IllegalArgumentException(jar + " is not an OSGi bundle: its manifest has no "
                            + "Bundle-SymbolicName");
                }
                String version = mf.getMainAttributes().getValue(new Attributes.Name("Bundle-Version"));
                return new String[] {bsn.split(";")[0].trim(), version == null ? "0.0.0" : version.trim()};
            } catch (java.util.zip.ZipException e) {
                throw new IllegalArgumentException(jar + " is not a jar file: " + e.getMessage(), e);
            }
        }
    }

    static Optional<Bundle> find(CliEnvironment env, String idOrName) {
        return Arrays.stream(env.bundleContext().getBundles())
                .filter(b -> idOrName.equals(b.getSymbolicName()) || idOrName.equals(Long.toString(b.getBundleId())))
                .filter(b -> b.getState() != Bundle.UNINSTALLED).findFirst();
    }

    @Command(name = "uninstall", description = "Uninstall a bundle installed from dropins/ (by id or name). Graphs "
            + "that use its node types report it as missing.")
    static final class Uninstall implements Callable<Integer> {
        private final CliEnvironment env;

        @Parameters(index = "0", paramLabel = "ID|NAME")
        String which;

        Uninstall(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            Bundle b = find(env, which).orElseThrow(() -> new IllegalArgumentException("no installed bundle '"
                    + which + "'; 'portraitgen bundles list' shows them"));
            Path dropins = env.dropins();
            if (!fromDropins(b, dropins)) {
                throw new IllegalArgumentException(b.getSymbolicName() + " is part of the installation, not a "
                        + "dropin; only bundles installed into " + dropins + " can be uninstalled");
            }
            String bsn = b.getSymbolicName();
            Path file = Path.of(java.net.URI.create(b.getLocation().replaceFirst("^reference:", "")));
            Files.deleteIfExists(file);
            long deadline = System.currentTimeMillis() + APPEAR_TIMEOUT_MS;
            while (b.getState() != Bundle.UNINSTALLED && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            if (b.getState() != Bundle.UNINSTALLED) {
                b.uninstall(); // File Install is not watching: do it here
            }
            env.out().println("uninstalled " + bsn);
            return Cli.OK;
        }
    }
}
