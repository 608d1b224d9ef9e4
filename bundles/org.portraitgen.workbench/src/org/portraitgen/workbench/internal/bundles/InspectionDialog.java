package org.portraitgen.workbench.internal.bundles;

import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.portraitgen.api.trust.BundleInspection;
import org.portraitgen.api.trust.BundleInspection.Signature;

/**
 * Shows what a bundle jar brings before any of its code runs, and lets the artist install it: straight away when a
 * trusted certificate signed it, after trusting this exact jar when not. Tampered or malformed jars can only be
 * looked at. Opened without blocking, so tests drive the same widgets.
 */
public final class InspectionDialog {
    private final Shell shell;
    private final Text report;
    private final Button install;

    /** @param onInstall called with true when the artist trusts the jar first, false when it is trusted already */
    InspectionDialog(Shell parent, BundleInspection inspection, boolean trusted, Consumer<Boolean> onInstall) {
        shell = new Shell(parent, SWT.DIALOG_TRIM | SWT.APPLICATION_MODAL | SWT.RESIZE);
        shell.setText("Install " + inspection.symbolicName() + " " + inspection.version() + "?");
        shell.setLayout(new GridLayout(1, false));
        Label intro = new Label(shell, SWT.WRAP);
        intro.setText(trusted ? "This bundle is trusted. Installing it starts its components."
                : inspection.installable() ? "Nobody this installation trusts vouches for this bundle. Read what it"
                        + " brings; trusting it records this exact jar (by its SHA-256) and starts it."
                        : "This jar cannot be installed.");
        intro.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        report = new Text(shell, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
        report.setText(BundleReport.of(inspection));
        GridData rd = new GridData(SWT.FILL, SWT.FILL, true, true);
        rd.widthHint = 640;
        rd.heightHint = 220;
        report.setLayoutData(rd);
        Composite buttons = new Composite(shell, SWT.NONE);
        buttons.setLayoutData(new GridData(SWT.END, SWT.CENTER, false, false));
        buttons.setLayout(new GridLayout(2, true));
        Button cancel = new Button(buttons, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.addListener(SWT.Selection, e -> shell.close());
        install = new Button(buttons, SWT.PUSH);
        install.setText(trusted ? "Install" : "Trust and install");
        install.setEnabled(inspection.installable() && inspection.signature() != Signature.TAMPERED);
        install.addListener(SWT.Selection, e -> {
            shell.close();
            onInstall.accept(!trusted);
        });
        shell.pack();
    }

    public void open() {
        shell.open();
    }

    public Shell shell() {
        return shell;
    }

    public Text report() {
        return report;
    }

    public Button installButton() {
        return install;
    }
}
