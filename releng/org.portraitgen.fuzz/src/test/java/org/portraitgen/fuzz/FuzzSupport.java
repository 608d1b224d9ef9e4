package org.portraitgen.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every harness shares: a scratch folder for parsers that read files, the oracle for their exceptions, and an
 * execution count per harness that {@code releng/fuzz.sh} reads from {@code target/fuzz-stats/} after the run.
 */
public final class FuzzSupport {

    private static final Map<String, AtomicLong> EXECUTIONS = new ConcurrentHashMap<>();
    private static final Path SCRATCH;

    static {
        try {
            SCRATCH = Files.createTempDirectory("pg-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(FuzzSupport::writeStats));
    }

    private FuzzSupport() {
    }

    /** Counts one execution of {@code harness}. */
    public static void count(String harness) {
        EXECUTIONS.computeIfAbsent(harness, h -> new AtomicLong()).incrementAndGet();
    }

    /** A folder of this JVM's scratch space, created on first use; harnesses overwrite their files each run. */
    public static Path scratch(String name) {
        try {
            return Files.createDirectories(SCRATCH.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code data} to {@code file}, creating its folder. */
    public static Path write(Path file, byte[] data) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The oracle for file parsers: an IOException is the documented failure, but only with a message that names the
     * file, so that the user learns which file is broken. Anything else is a finding.
     */
    public static void requireNamesFile(IOException e, Path file) {
        String message = e.getMessage();
        if (message == null || !message.contains(file.toString())) {
            throw new AssertionError("IOException without the file name " + file + ": " + message, e);
        }
    }

    private static void writeStats() {
        String dir = System.getProperty("fuzz.stats.dir");
        String fuzzing = System.getenv("JAZZER_FUZZ");
        if (dir == null || fuzzing == null || fuzzing.isEmpty()) { // only Jazzer's fuzzing runs are reported
            return;
        }
        Map<String, Long> snapshot = new TreeMap<>();
        EXECUTIONS.forEach((k, v) -> snapshot.put(k, v.get()));
        try {
            Files.createDirectories(Path.of(dir));
            for (var e : snapshot.entrySet()) {
                // one file per harness and JVM: fuzz.sh sums them
                Files.writeString(Path.of(dir, e.getKey() + "." + ProcessHandle.current().pid() + ".count"),
                        e.getValue() + "\n");
            }
        } catch (IOException e) {
            System.err.println("fuzz stats not written: " + e);
        }
    }
}
