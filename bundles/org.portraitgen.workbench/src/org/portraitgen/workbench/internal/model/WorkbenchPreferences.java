package org.portraitgen.workbench.internal.model;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;
import org.portraitgen.api.pipeline.RunOptions.Isolation;

/**
 * {@link Settings} kept in a preference node (the e4 application passes its instance-scope node, so they persist in
 * the workspace's {@code .settings}); a key not stored yet falls back to the defaults given.
 */
public final class WorkbenchPreferences {
    static final String CACHE = "cacheFolder";
    static final String ISOLATION = "isolation";
    static final String TIMEOUT = "nodeTimeoutSeconds";
    static final String MODELS = "modelFolder";
    static final String GPU = "gpu";
    private final Preferences node;
    private final Settings defaults;

    public WorkbenchPreferences(Preferences node, Settings defaults) {
        this.node = node;
        this.defaults = defaults;
    }

    /** The stored settings; a stored value that no longer parses gives way to its default. */
    public Settings load() {
        Isolation isolation;
        try {
            isolation = Isolation.valueOf(node.get(ISOLATION, defaults.isolation().name()));
        } catch (IllegalArgumentException e) {
            isolation = defaults.isolation();
        }
        String models = node.get(MODELS, defaults.modelFolder() == null ? "" : defaults.modelFolder().toString());
        try {
            return new Settings(Path.of(node.get(CACHE, defaults.cacheFolder().toString())), isolation,
                    node.getLong(TIMEOUT, defaults.nodeTimeoutSeconds()), models.isBlank() ? null : Path.of(models),
                    node.getBoolean(GPU, defaults.gpu()));
        } catch (IllegalArgumentException e) {
            return defaults;
        }
    }

    /** Stores and flushes to disk, so that a crash right after keeps them. */
    public void save(Settings s) throws IOException {
        node.put(CACHE, s.cacheFolder().toString());
        node.put(ISOLATION, s.isolation().name());
        node.putLong(TIMEOUT, s.nodeTimeoutSeconds());
        node.put(MODELS, s.modelFolder() == null ? "" : s.modelFolder().toString());
        node.putBoolean(GPU, s.gpu());
        try {
            node.flush();
        } catch (BackingStoreException e) {
            throw new IOException("preferences cannot be written to " + node.absolutePath() + ": " + e.getMessage(),
                    e);
        }
    }
}
