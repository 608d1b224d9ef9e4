package org.portraitgen.pipeline.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.portraitgen.api.pipeline.RunOptions;

/**
 * Where a graph's file parameters may point: inside the project folder or a root the user allowed explicitly. A
 * graph from a colleague or a stranger cannot make a node read {@code ~/.ssh/id_rsa} or overwrite a file elsewhere
 * through {@code ..}, an absolute path or a symbolic link.
 * <p>
 * The project folder is the graph file's folder, or the nearest folder above it that holds a {@value #PROJECT_MARKER}
 * file (a repository with {@code graphs/}, {@code samples/} and {@code out/} side by side). More roots come from
 * {@link RunOptions#allowedRoots()} (the command line's {@code --allow} and {@code PORTRAITGEN_ALLOWED_ROOTS}). A
 * worker or farm task runs the resolved graph under {@code CACHE/runs/RUN/}; the run that wrote it records the roots
 * it checked against beside it ({@value #ROOTS_FILE}), and only there is that file honoured.
 */
final class Confinement {

    static final String PROJECT_MARKER = "portraitgen.project";
    static final String ROOTS_FILE = "allowed-roots.txt";

    private final Path baseDir;
    private final List<Path> roots;

    private Confinement(Path baseDir, List<Path> roots) {
        this.baseDir = baseDir;
        this.roots = roots;
    }

    /** Relative file names resolve against this folder (the graph's). */
    Path baseDir() {
        return baseDir;
    }

    List<Path> roots() {
        return roots;
    }

    /** The project folder of {@code baseDir} and nothing else. */
    static Confinement project(Path baseDir) {
        return of(baseDir, null, List.of());
    }

    static Confinement of(RunOptions options) {
        return of(options.baseDir(), options.cacheDir(), options.allowedRoots());
    }

    static Confinement of(Path baseDir, Path cacheDir, List<Path> allowed) {
        Path base = baseDir.toAbsolutePath().normalize();
        Set<Path> roots = new LinkedHashSet<>();
        roots.add(projectFolder(base));
        for (Path p : allowed) {
            roots.add(p.toAbsolutePath().normalize());
        }
        if (cacheDir != null) {
            Path runs = cacheDir.toAbsolutePath().normalize().resolve("runs");
            Path recorded = base.resolve(ROOTS_FILE);
            if (base.getParent() != null && base.getParent().equals(runs) && Files.isRegularFile(recorded)) {
                try {
                    for (String line : Files.readAllLines(recorded, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            roots.add(Path.of(line.strip()).toAbsolutePath().normalize());
                        }
                    }
                } catch (IOException e) {
                    // unreadable: the run is confined to the run folder, and its files are refused by name
                }
            }
        }
        return new Confinement(base, List.copyOf(roots));
    }

    private static Path projectFolder(Path base) {
        for (Path p = base; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(PROJECT_MARKER))) {
                return p;
            }
        }
        return base;
    }

    /** Records the roots beside a resolved graph, for the workers and farm tasks that run it. */
    void record(Path resolvedGraph) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path r : roots) {
            text.append(r).append('\n');
        }
        AtomicFiles.writeString(resolvedGraph.resolveSibling(ROOTS_FILE), text.toString());
    }

    /**
     * Null when {@code file} (absolute, normalised) lies within a root, following symbolic links of its existing
     * part; else why not, starting with "outside".
     */
    String check(Path file) {
        boolean lexically = roots.stream().anyMatch(file::startsWith);
        if (!lexically) {
            return "outside the allowed folders: " + file + " is not within " + describeRoots()
                    + " ('..' and absolute paths may not leave the project; allow a folder with --allow DIR or"
                    + " PORTRAITGEN_ALLOWED_ROOTS)";
        }
        Path real;
        try {
            real = realPath(file);
        } catch (IOException e) {
            return "outside the allowed folders: " + file + " cannot be resolved: " + e.getMessage();
        }
        for (Path root : roots) {
            try {
                if (real.startsWith(realPath(root))) {
                    return null;
                }
            } catch (IOException e) {
                // a root that does not resolve holds nothing
            }
        }
        return "outside the allowed folders: " + file + " is a symbolic link (or lies under one) that leads to "
                + real + ", which is not within " + describeRoots();
    }

    private String describeRoots() {
        List<String> names = new ArrayList<>();
        roots.forEach(r -> names.add(r.toString()));
        return names.size() == 1 ? "the project folder " + names.get(0) : "the project folder or allowed roots "
                + names;
    }

    /** The real path of the longest existing part of {@code p}, with the rest appended. */
    private static Path realPath(Path p) throws IOException {
        Path existing = p;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            rest.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        Path real = existing.toRealPath();
        for (Path part : rest) {
            real = real.resolve(part);
        }
        return real;
    }
}
