package org.portraitgen.cli.internal;

import java.util.concurrent.Callable;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "version", description = "Print the version of PortraitGen Studio and its runtime.")
public final class VersionCommand implements Callable<Integer>, IVersionProvider {

    private final CliEnvironment env;

    public VersionCommand(CliEnvironment env) {
        this.env = env;
    }

    public VersionCommand() {
        this(null);
    }

    @Override
    public String[] getVersion() {
        Bundle self = FrameworkUtil.getBundle(VersionCommand.class);
        Bundle framework = self.getBundleContext().getBundle(0);
        return new String[] {
            "PortraitGen Studio " + self.getVersion(),
            "OSGi framework " + framework.getSymbolicName() + " " + framework.getVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores"};
    }

    @Override
    public Integer call() {
        for (String line : getVersion()) {
            env.out().println(line);
        }
        return Cli.OK;
    }
}
