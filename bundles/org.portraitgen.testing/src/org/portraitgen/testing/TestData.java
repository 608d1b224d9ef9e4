package org.portraitgen.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** Sample files and services for the tests. */
public final class TestData {

    private TestData() {
    }

    /** The shared sample data folder: {@code portraitgen.shared.data}, else {@code ../shared/data} of the project. */
    public static Path sharedData() {
        String dir = System.getProperty("portraitgen.shared.data");
        Path p = dir != null ? Path.of(dir)
                : Path.of(System.getProperty("portraitgen.project.root", ".")).resolve("../shared/data");
        return p.toAbsolutePath().normalize();
    }

    /** A sample clip; fails (never skips) when the data is missing, so a broken set-up is visible. */
    public static Path video(String name) {
        Path p = sharedData().resolve("video").resolve(name);
        assertTrue(Files.isRegularFile(p), "sample video missing: " + p);
        return p;
    }

    /** Waits up to 10 s for a service (SCR activates components asynchronously after bundle start). */
    public static <T> T service(Class<T> type, String filter) throws Exception {
        BundleContext ctx = FrameworkUtil.getBundle(TestData.class).getBundleContext();
        String f = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(ctx, ctx.createFilter(f), null);
        tracker.open();
        T service = tracker.waitForService(10_000);
        assertTrue(service != null, "no service matching " + f);
        return service;
    }
}
