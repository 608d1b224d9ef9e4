package org.portraitgen.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.FrameworkUtil;

/** The Equinox application behind the {@code portraitgen} launcher script. */
public class PortraitgenApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS,
                new String[0]);
        context.applicationRunning();
        // the launcher script tests whether stdout is a terminal ([ -t 1 ]); the JVM cannot tell reliably on 21
        boolean terminal = Boolean.getBoolean("portraitgen.terminal");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        CliEnvironment env = new CliEnvironment(FrameworkUtil.getBundle(getClass()).getBundleContext(), out, err,
                Path.of(System.getProperty("portraitgen.cwd", System.getProperty("user.dir"))), terminal);
        return Integer.valueOf(Cli.execute(env, args));
    }

    @Override
    public void stop() {
        // commands finish or are cancelled through their own runs
    }
}
