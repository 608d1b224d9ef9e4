package org.portraitgen.workbench.internal.bundles;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceListener;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.trust.BundleInspection;
import org.portraitgen.api.trust.BundleTrust;
import org.portraitgen.workbench.internal.model.Studio;

/**
 * The bundle manager: every bundle with its state and the node types it provides; install a jar and uninstall
 * while running. Framework events arrive on framework threads and refresh the table on the UI thread.
 */
public final class BundlesView {
    private final Studio studio;
    private final BundleInstaller installer;
    private final Composite root;
    private final Table table;
    private final Button onlyNodes;
    private final Button trustAndStart;
    private final org.eclipse.swt.widgets.Text details;
    /** The trust bundle's service, looked up per use: optional, since a development run may leave it out. */
    private final ServiceTracker<BundleTrust, BundleTrust> trust;
    private final BundleListener onBundle = e -> refreshLater();
    private final ServiceListener onService = e -> refreshLater();

    public BundlesView(Composite parent, Studio studio) {
        this.studio = studio;
        this.installer = new BundleInstaller(studio.bundleContext());
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(5, false));
        trust = new ServiceTracker<>(studio.bundleContext(), BundleTrust.class, null);
        trust.open();
        button("Install…", "See what a bundle jar brings, then install it; its node types join the palette",
                this::chooseAndInstall);
        Button uninstall = button("Uninstall", "Uninstall the selected bundle; graphs keep its nodes, marked missing",
                this::uninstallSelected);
        trustAndStart = button("Review and start…", "A dropped-in bundle waits until someone trusts it: see what it"
                + " brings, then trust and start it", this::reviewSelected);
        onlyNodes = new Button(root, SWT.CHECK);
        onlyNodes.setText("Only PortraitGen bundles");
        onlyNodes.setSelection(true);
        onlyNodes.addListener(SWT.Selection, e -> refresh());
        new org.eclipse.swt.widgets.Label(root, SWT.NONE).setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true,
                false));
        table = new Table(root, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 5, 1));
        table.setHeaderVisible(true);
        for (String[] c : new String[][] {{"Id", "50"}, {"Bundle", "260"}, {"Version", "150"}, {"State", "80"},
                {"Node types", "300"}}) {
            TableColumn col = new TableColumn(table, SWT.NONE);
            col.setText(c[0]);
            col.setWidth(Integer.parseInt(c[1]));
        }
        details = new org.eclipse.swt.widgets.Text(root, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL
                | SWT.BORDER);
        GridData dd = new GridData(SWT.FILL, SWT.FILL, true, false, 5, 1);
        dd.heightHint = 70;
        details.setLayoutData(dd);
        table.addListener(SWT.Selection, e -> {
            uninstall.setEnabled(table.getSelectionCount() == 1);
            showDetails();
        });
        trustAndStart.setEnabled(false);
        studio.bundleContext().addBundleListener(onBundle);
        studio.bundleContext().addServiceListener(onService);
        root.addListener(SWT.Dispose, e -> {
            studio.bundleContext().removeBundleListener(onBundle);
            studio.bundleContext().removeServiceListener(onService);
            trust.close();
        });
        refresh();
    }

    public Composite control() {
        return root;
    }

    public Table table() {
        return table;
    }

    public org.eclipse.swt.widgets.Text details() {
        return details;
    }

    public Button reviewButton() {
        return trustAndStart;
    }

    /**
     * Shows what the jar brings, read by the trust bundle without running any of it, in a dialog whose button
     * installs it (trusting it first when nobody vouches for it). Empty without the trust bundle.
     */
    public java.util.Optional<InspectionDialog> review(Path jar) {
        BundleTrust t = trust.getService();
        if (t == null) {
            studio.log().info("no trust service (bundle org.portraitgen.trust): " + jar + " is installed unreviewed");
            install(jar);
            return java.util.Optional.empty();
        }
        try {
            BundleInspection inspection = t.inspect(jar);
            InspectionDialog d = new InspectionDialog(root.getShell(), inspection, t.isTrusted(jar), trustFirst -> {
                if (trustFirst) {
                    try {
                        t.trust(jar, System.getProperty("user.name", "unknown"));
                        studio.log().info("trusted " + inspection.symbolicName() + " " + inspection.version() + " ("
                                + inspection.sha256() + ")");
                    } catch (java.io.IOException | IllegalArgumentException e) {
                        studio.log().info("cannot trust " + jar + ": " + e.getMessage());
                        return;
                    }
                }
                install(jar);
            });
            d.open();
            return java.util.Optional.of(d);
        } catch (java.io.IOException e) {
            studio.log().info(jar + " cannot be read: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private void showDetails() {
        Bundle b = table.getSelectionCount() == 1 ? (Bundle) table.getSelection()[0].getData() : null;
        details.setText(b == null ? "" : BundleReport.of(b));
        trustAndStart.setEnabled(b != null && b.getState() == Bundle.INSTALLED && jarOf(b) != null);
    }

    /** The jar file an installed bundle came from, or null when it is not a plain file. */
    private static Path jarOf(Bundle b) {
        String loc = b.getLocation();
        try {
            Path p = loc.startsWith("file:") ? Path.of(java.net.URI.create(loc)) : Path.of(loc);
            return java.nio.file.Files.isRegularFile(p) ? p : null;
        } catch (RuntimeException notAFile) {
            return null;
        }
    }

    /** For a bundle waiting on trust: review it; trusting it resolves and starts it. */
    private void reviewSelected() {
        Bundle b = table.getSelectionCount() == 1 ? (Bundle) table.getSelection()[0].getData() : null;
        Path jar = b == null ? null : jarOf(b);
        BundleTrust t = trust.getService();
        if (jar == null || t == null) {
            return;
        }
        try {
            BundleInspection inspection = t.inspect(jar);
            new InspectionDialog(root.getShell(), inspection, t.isTrusted(jar), trustFirst -> CompletableFuture
                    .runAsync(() -> {
                        try {
                            if (trustFirst) {
                                t.trust(jar, System.getProperty("user.name", "unknown"));
                            }
                            b.start();
                            studio.log().info("started " + b.getSymbolicName() + " after review");
                        } catch (Exception e) {
                            studio.log().info(b.getSymbolicName() + " did not start: " + e.getMessage());
                        }
                    })).open();
        } catch (java.io.IOException e) {
            studio.log().info(jar + " cannot be read: " + e.getMessage());
        }
    }

    public Button onlyPortraitGen() {
        return onlyNodes;
    }

    /** Installs in the background; the table and palette update when the framework reports the bundle. */
    public CompletableFuture<Void> install(Path jar) {
        return CompletableFuture.runAsync(() -> {
            try {
                studio.log().info(installer.install(jar));
            } catch (Exception e) {
                studio.log().info("install of " + jar + " failed: " + e.getMessage());
            }
        });
    }

    public CompletableFuture<Void> uninstall(Bundle b) {
        return CompletableFuture.runAsync(() -> {
            try {
                studio.log().info(installer.uninstall(b));
            } catch (Exception e) {
                studio.log().info("uninstall of " + b.getSymbolicName() + " failed: " + e.getMessage());
            }
        });
    }

    public void refresh() {
        if (table.isDisposed()) {
            return;
        }
        Bundle selected = table.getSelectionCount() == 1 ? (Bundle) table.getSelection()[0].getData() : null;
        table.removeAll();
        Arrays.stream(studio.bundleContext().getBundles())
                .filter(b -> !onlyNodes.getSelection() || b.getSymbolicName() != null
                        && (b.getSymbolicName().startsWith("org.portraitgen") || !BundleInstaller.nodeTypes(b)
                                .isEmpty()))
                .sorted(Comparator.comparingLong(Bundle::getBundleId)).forEach(b -> {
                    TableItem item = new TableItem(table, SWT.NONE);
                    item.setText(new String[] {Long.toString(b.getBundleId()), String.valueOf(b.getSymbolicName()),
                            b.getVersion().toString(), state(b), String.join(", ", BundleInstaller.nodeTypes(b))});
                    item.setData(b);
                    if (b.equals(selected)) {
                        table.setSelection(item);
                    }
                });
        showDetails();
    }

    private void refreshLater() {
        if (!root.isDisposed()) {
            root.getDisplay().asyncExec(() -> {
                if (!root.isDisposed()) {
                    refresh();
                }
            });
        }
    }

    private void chooseAndInstall() {
        FileDialog d = new FileDialog(root.getShell(), SWT.OPEN);
        d.setFilterExtensions(new String[] {"*.jar"});
        String chosen = d.open();
        if (chosen != null) {
            review(Path.of(chosen));
        }
    }

    private void uninstallSelected() {
        if (table.getSelectionCount() == 1) {
            uninstall((Bundle) table.getSelection()[0].getData());
        }
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.STARTING -> "starting";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }

    private Button button(String text, String tip, Runnable action) {
        Button b = new Button(root, SWT.PUSH);
        b.setText(text);
        b.setToolTipText(tip);
        b.addListener(SWT.Selection, e -> action.run());
        return b;
    }
}
