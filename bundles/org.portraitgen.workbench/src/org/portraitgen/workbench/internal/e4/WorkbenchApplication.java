package org.portraitgen.workbench.internal.e4;

import org.eclipse.e4.ui.internal.workbench.swt.E4Application;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

/**
 * The workbench application ({@code org.portraitgen.workbench.app}): the stock e4 application over this bundle's
 * application model. A wrapper rather than E4Application in plugin.xml so that the model is found without a
 * product extension: the installation's product is the command line.
 */
public final class WorkbenchApplication implements IApplication {
    static final String MODEL = "org.portraitgen.workbench/Application.e4xmi";
    private final E4Application delegate = new E4Application();

    @Override
    public Object start(IApplicationContext context) throws Exception {
        if (System.getProperty("applicationXMI") == null) {
            System.setProperty("applicationXMI", MODEL); // E4Application reads its arguments from system properties
        }
        clearLayoutOfAnOlderModel();
        return delegate.start(context);
    }

    /**
     * e4 restores the saved window layout in place of the application model, so commands, menus and parts that a
     * newer workbench adds would stay hidden behind an older layout. The saved layout is therefore kept only while
     * the model it was saved from is unchanged (a digest of Application.e4xmi beside it).
     */
    private void clearLayoutOfAnOlderModel() {
        String area = System.getProperty("osgi.instance.area");
        java.net.URL model = getClass().getResource("/Application.e4xmi");
        if (area == null || model == null || !area.startsWith("file:")) {
            return;
        }
        try (java.io.InputStream in = model.openStream()) {
            String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(in.readAllBytes()));
            java.nio.file.Path stamp = java.nio.file.Path.of(java.net.URI.create(area.endsWith("/") ? area
                    : area + "/")).resolve(".metadata/portraitgen-model.sha256");
            String saved = java.nio.file.Files.isRegularFile(stamp) ? java.nio.file.Files.readString(stamp).trim()
                    : null;
            if (!digest.equals(saved)) {
                java.nio.file.Path layout = stamp.resolveSibling(".plugins/org.eclipse.e4.workbench/workbench.xmi");
                if (java.nio.file.Files.exists(layout)) {
                    System.setProperty("clearPersistedState", "true");
                }
                java.nio.file.Files.createDirectories(stamp.getParent());
                java.nio.file.Path tmp = java.nio.file.Files.createTempFile(stamp.getParent(), ".model", ".tmp");
                java.nio.file.Files.writeString(tmp, digest);
                java.nio.file.Files.move(tmp, stamp, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException | IllegalArgumentException e) {
            System.err.println("portraitgen workbench: cannot compare the saved layout's model: " + e.getMessage());
        }
    }

    @Override
    public void stop() {
        delegate.stop();
    }
}
