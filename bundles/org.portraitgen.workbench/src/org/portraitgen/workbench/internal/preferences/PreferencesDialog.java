package org.portraitgen.workbench.internal.preferences;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.portraitgen.api.pipeline.RunOptions.Isolation;
import org.portraitgen.workbench.internal.model.Settings;
import org.portraitgen.workbench.internal.model.Studio;
import org.portraitgen.workbench.internal.model.WorkbenchPreferences;

/**
 * File ▸ Preferences: the cache folder, where nodes run, the node timeout, the model folder and the GPU switch.
 * OK stores them in the preference store and puts them into force; a value that cannot work is named in the
 * dialog and keeps OK disabled. Opened without blocking, so tests drive the same widgets.
 */
public final class PreferencesDialog {
    private final Studio studio;
    private final WorkbenchPreferences store;
    private final Shell shell;
    private final Text cache;
    private final Combo isolation;
    private final Spinner timeout;
    private final Text models;
    private final Button gpu;
    private final Label problem;
    private final Button ok;

    public PreferencesDialog(Shell parent, Studio studio, WorkbenchPreferences store) {
        this.studio = studio;
        this.store = store;
        shell = new Shell(parent, SWT.DIALOG_TRIM | SWT.APPLICATION_MODAL | SWT.RESIZE);
        shell.setText("Preferences");
        shell.setLayout(new GridLayout(3, false));
        Settings s = studio.settings();
        cache = folderRow("Run cache folder", "Node results, shared with the command line", s.cacheFolder());
        label("Run nodes");
        isolation = new Combo(shell, SWT.READ_ONLY);
        isolation.setItems("in this process (fastest)", "in worker processes (a crash fails only the node)");
        isolation.select(s.isolation() == Isolation.IN_PROCESS ? 0 : 1);
        isolation.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        label("Node timeout (s, 0: none)");
        timeout = new Spinner(shell, SWT.BORDER);
        timeout.setValues((int) Math.min(Integer.MAX_VALUE, s.nodeTimeoutSeconds()), 0, 7 * 24 * 3600, 0, 60, 600);
        timeout.setToolTipText("Applies to worker processes: a node running longer is stopped and fails");
        timeout.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        models = folderRow("Model folder", "Where nodes find model files (empty: each node's default)",
                s.modelFolder());
        gpu = new Button(shell, SWT.CHECK);
        gpu.setText("Use the GPU for Gaussian fields when a GPU context opens");
        gpu.setSelection(s.gpu());
        gpu.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        problem = new Label(shell, SWT.WRAP);
        problem.setForeground(shell.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
        problem.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        Composite buttons = new Composite(shell, SWT.NONE);
        buttons.setLayoutData(new GridData(SWT.END, SWT.CENTER, false, false, 3, 1));
        buttons.setLayout(new GridLayout(2, true));
        Button cancel = new Button(buttons, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.addListener(SWT.Selection, e -> shell.close());
        ok = new Button(buttons, SWT.PUSH);
        ok.setText("OK");
        ok.addListener(SWT.Selection, e -> {
            if (apply()) {
                shell.close();
            }
        });
        shell.setDefaultButton(ok);
        cache.addListener(SWT.Modify, e -> validate());
        models.addListener(SWT.Modify, e -> validate());
        validate();
        shell.pack();
        shell.setSize(Math.max(620, shell.getSize().x), shell.getSize().y);
    }

    private void label(String text) {
        new Label(shell, SWT.NONE).setText(text);
    }

    private Text folderRow(String label, String tip, Path value) {
        label(label);
        Text t = new Text(shell, SWT.BORDER);
        t.setText(value == null ? "" : value.toString());
        t.setToolTipText(tip);
        t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Button browse = new Button(shell, SWT.PUSH);
        browse.setText("Browse…");
        browse.addListener(SWT.Selection, e -> {
            DirectoryDialog d = new DirectoryDialog(shell);
            d.setFilterPath(t.getText());
            String chosen = d.open();
            if (chosen != null) {
                t.setText(chosen);
            }
        });
        return t;
    }

    /** The settings the widgets describe; throws with the reason when they cannot work. */
    public Settings settings() {
        String c = cache.getText().trim();
        if (c.isEmpty()) {
            throw new IllegalArgumentException("the run cache folder is required");
        }
        String m = models.getText().trim();
        return new Settings(Path.of(c), isolation.getSelectionIndex() == 0 ? Isolation.IN_PROCESS
                : Isolation.WORKER_PROCESS, timeout.getSelection(), m.isEmpty() ? null : Path.of(m),
                gpu.getSelection());
    }

    private void validate() {
        String why = null;
        try {
            settings();
        } catch (IllegalArgumentException e) {
            why = e.getMessage();
        }
        problem.setText(why == null ? "" : why);
        ok.setEnabled(why == null);
    }

    /** Stores and applies; false (with the reason shown) when that failed. */
    public boolean apply() {
        try {
            Settings s = settings();
            store.save(s);
            studio.apply(s);
            studio.log().info("preferences saved: cache " + s.cacheFolder() + ", " + s.isolation().name()
                    .toLowerCase().replace('_', ' ') + ", timeout " + s.nodeTimeoutSeconds() + " s, GPU "
                    + (s.gpu() ? "on" : "off"));
            return true;
        } catch (IllegalArgumentException | IOException e) {
            problem.setText(e.getMessage());
            return false;
        }
    }

    public void open() {
        shell.open();
    }

    public Shell shell() {
        return shell;
    }

    public Text cacheFolder() {
        return cache;
    }

    public Combo isolation() {
        return isolation;
    }

    public Spinner timeout() {
        return timeout;
    }

    public Text modelFolder() {
        return models;
    }

    public Button gpu() {
        return gpu;
    }

    public Button okButton() {
        return ok;
    }

    public Label problem() {
        return problem;
    }
}
