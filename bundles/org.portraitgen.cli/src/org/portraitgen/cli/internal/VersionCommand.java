package org.portraitgen.cli.internal;

import java.util.concurrent.Callable;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.field.GpuStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

@Command(name = "version", description = "Print the version of PortraitGen Studio and its runtime.")
public final class VersionCommand implements Callable<Integer>, IVersionProvider {
    /** How long to wait for the GPU bundle's status service to come up (its context may take longer: it waits). */
    static final long GPU_SERVICE_WAIT_MS = 10_000;

    private final CliEnvironment env;

    @Option(names = "--gpu", description = "Also print the GPU's capability report (renderer, version, extensions,"
            + " limits) or why no GPU context opened. Exit code 1 when the GPU is not used.")
    boolean gpu;

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
        if (!gpu) {
            return Cli.OK;
        }
        ServiceTracker<GpuStatus, GpuStatus> tracker = new ServiceTracker<>(env.bundleContext(), GpuStatus.class,
                null);
        tracker.open();
        try {
            GpuStatus status = tracker.waitForService(GPU_SERVICE_WAIT_MS);
            if (status == null) {
                env.out().println("GPU: not used, the CPU serves. No GPU status service came up within "
                        + GPU_SERVICE_WAIT_MS / 1000 + " s: the bundle org.portraitgen.field.gl is not installed"
                        + " or not started ('portraitgen bundles list' shows what runs)");
                return Cli.FAILURE;
            }
            env.out().println(status.report());
            return status.available() ? Cli.OK : Cli.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.FAILURE;
        } finally {
            tracker.close();
        }
    }
}
