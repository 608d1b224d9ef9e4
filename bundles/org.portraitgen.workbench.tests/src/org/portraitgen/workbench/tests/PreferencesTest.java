package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.swt.SWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.prefs.Preferences;
import org.portraitgen.api.pipeline.RunOptions.Isolation;
import org.portraitgen.workbench.internal.model.Settings;
import org.portraitgen.workbench.internal.model.WorkbenchPreferences;
import org.portraitgen.workbench.internal.preferences.PreferencesDialog;

/** The preferences dialog over the real instance-scope preference store: validated, applied and on disk. */
class PreferencesTest {
    @TempDir
    Path dir;
    WorkbenchFixture f;
    String node;
    String modelsBefore;

    @BeforeEach
    void open() {
        f = new WorkbenchFixture(dir);
        node = "org.portraitgen.workbench.tests.prefs" + System.nanoTime();
        modelsBefore = System.getProperty("portraitgen.models");
    }

    @AfterEach
    void close() throws Exception {
        f.close();
        InstanceScope.INSTANCE.getNode(node).removeNode();
        if (modelsBefore == null) {
            System.clearProperty("portraitgen.models");
        } else {
            System.setProperty("portraitgen.models", modelsBefore);
        }
    }

    @Test
    void okStoresThePreferencesAndPutsThemIntoForce() throws Exception {
        Settings defaults = f.studio.settings();
        WorkbenchPreferences store = new WorkbenchPreferences(InstanceScope.INSTANCE.getNode(node), defaults);
        PreferencesDialog d = new PreferencesDialog(f.shell, f.studio, store);
        d.open();
        assertEquals(defaults.cacheFolder().toString(), d.cacheFolder().getText());
        assertTrue(d.gpu().getSelection(), "the GPU is on by default");

        d.cacheFolder().setText("relative/cache");
        assertFalse(d.okButton().getEnabled(), "a relative cache folder is refused");
        assertTrue(d.problem().getText().contains("absolute"), d.problem().getText());

        Path cache = dir.resolve("cache2");
        d.cacheFolder().setText(cache.toString());
        assertTrue(d.okButton().getEnabled(), d.problem().getText());
        d.isolation().select(1);
        d.timeout().setSelection(120);
        d.modelFolder().setText(dir.resolve("models").toString());
        d.gpu().setSelection(false);
        Ui.fire(d.okButton(), SWT.Selection);
        Ui.flush();
        assertTrue(d.shell().isDisposed(), "OK closes the dialog");

        Settings expected = new Settings(cache, Isolation.WORKER_PROCESS, 120, dir.resolve("models"), false);
        assertEquals(expected, f.studio.settings(), "in force at once");
        assertEquals(dir.resolve("models").toString(), System.getProperty("portraitgen.models"));
        assertEquals(expected, new WorkbenchPreferences(InstanceScope.INSTANCE.getNode(node), defaults).load());

        String area = f.context.getProperty("osgi.instance.area");
        Path file = Path.of(URI.create(area)).resolve(".metadata/.plugins/org.eclipse.core.runtime/.settings")
                .resolve(node + ".prefs");
        String text = Files.readString(file);
        assertTrue(text.contains("nodeTimeoutSeconds=120") && text.contains("gpu=false")
                && text.contains("isolation=WORKER_PROCESS"), text);
    }

    @Test
    void aStoredValueThatNoLongerParsesFallsBackToItsDefault() {
        Preferences p = InstanceScope.INSTANCE.getNode(node);
        p.put("isolation", "ON_THE_MOON");
        p.putLong("nodeTimeoutSeconds", 30);
        Settings loaded = new WorkbenchPreferences(p, f.studio.settings()).load();
        assertEquals(f.studio.settings().isolation(), loaded.isolation());
        assertEquals(30, loaded.nodeTimeoutSeconds());
    }
}
