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
        return delegate.start(context);
    }

    @Override
    public void stop() {
        delegate.stop();
    }
}
