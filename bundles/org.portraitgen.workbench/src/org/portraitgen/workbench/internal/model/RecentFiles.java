package org.portraitgen.workbench.internal.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The last graphs opened or saved, newest first, kept in a small text file of the workbench's state folder. */
public final class RecentFiles {
    private static final int KEEP = 8;
    private final Path store;

    public RecentFiles(Path store) {
        this.store = store;
    }

    public List<Path> list() {
        try {
            return Files.readAllLines(store).stream().filter(s -> !s.isBlank()).map(Path::of).toList();
        } catch (IOException e) {
            return List.of(); // first start: nothing recent yet
        }
    }

    public void add(Path file) {
        List<Path> next = new ArrayList<>(list());
        Path abs = file.toAbsolutePath().normalize();
        next.remove(abs);
        next.add(0, abs);
        try {
            Files.createDirectories(store.getParent());
            Files.write(store, next.stream().limit(KEEP).map(Path::toString).toList());
        } catch (IOException e) {
            // the list is a convenience: a read-only home must not stop a save
        }
    }
}
