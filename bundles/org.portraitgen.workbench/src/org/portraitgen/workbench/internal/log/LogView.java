package org.portraitgen.workbench.internal.log;

import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;
import org.portraitgen.workbench.internal.model.Studio;

/** The session log: run states and node log lines, installs, saves. Lines arrive from any thread. */
public final class LogView {
    private final Text text;

    public LogView(Composite parent, Studio studio) {
        text = new Text(parent, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
        studio.log().lines().forEach(l -> text.append(l + "\n"));
        Consumer<String> onLine = line -> text.getDisplay().asyncExec(() -> {
            if (!text.isDisposed()) {
                text.append(line + "\n");
            }
        });
        studio.log().addListener(onLine);
        text.addListener(SWT.Dispose, e -> studio.log().removeListener(onLine));
    }

    public Text control() {
        return text;
    }
}
