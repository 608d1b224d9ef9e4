package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes that appear whole or not at all: everything is built in a hidden temporary sibling of the final path (same
 * folder, hence same file system) and renamed into place with {@code ATOMIC_MOVE}.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** This machine's name as temp files carry it: a run cache or output folder may be shared by farm machines. */
    private static final String HOST = hostName();

    /**
     * A fresh, not yet existing, hidden sibling of {@code target} named by this machine and process, e.g.
     * {@code .video.mp4.host1-4242-3f2a9c01.tmp}. Temp siblings of the same target left by a process of this machine
     * that is gone (a worker killed mid-write) are deleted first, so a killed encode leaves nothing behind once the
     * node runs again.
     */
    public static Path tempSibling(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new IOException("Cannot write " + abs + ": it has no parent folder");
        }
        Files.createDirectories(parent);
        removeStaleTemps(parent, abs.getFileName().toString());
        String tag = HOST + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return parent.resolve("." + abs.getFileName() + "." + tag + ".tmp");
    }

    private static void removeStaleTemps(Path parent, String name) throws IOException {
        java.util.regex.Pattern mine = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote("." + name + "."
                + HOST + "-") + "(\\d{1,18})-[0-9a-f]{8}\\.tmp");
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(parent)) {
            siblings.forEach(p -> {
                java.util.regex.Matcher m = mine.matcher(p.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive)
                        .orElse(false) == Boolean.FALSE) {
                    stale.add(p);
                }
            });
        }
        for (Path p : stale) {
            deleteRecursively(p);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_]", "_");
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * Requires that a folder to be created is absent or an empty folder (as a node's staging folder is): a rename
     * replaces an empty folder atomically on POSIX file systems, a non-empty one never.
     */
    public static void requireAbsentOrEmptyDir(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new FileAlreadyExistsException(dir.toString(), null, "folder exists and is not empty");
            }
        }
    }

    /** Renames a finished temp file or folder onto its final path; an existing file or empty folder is replaced. */
    public static void publish(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("Cannot move " + temp + " atomically to " + target
                    + " (they must be on one file system)", e);
        } catch (DirectoryNotEmptyException e) {
            throw new FileAlreadyExistsException(target.toString(), null, "folder exists and is not empty");
        }
    }

    /**
     * Replaces a folder that may exist and hold files (a published PNG sequence from an earlier run): the old one is
     * renamed aside first, so the path holds either the old or the new folder whole, never a mix.
     */
    public static void replaceDirectory(Path temp, Path target) throws IOException {
        if (!Files.exists(target)) {
            publish(temp, target);
            return;
        }
        Path old = tempSibling(target);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            publish(temp, target);
        } catch (IOException e) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        deleteRecursively(old);
    }

    /** Copies a file to {@code target} through a temp sibling, so readers never see a partial copy. */
    public static void copyFile(Path source, Path target) throws IOException {
        Path temp = tempSibling(target);
        try {
            Files.copy(source, temp);
            publish(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Copies a folder's regular files (not sub-folders) into a new or replaced folder at {@code target}. */
    public static void copyFlatDirectory(Path source, Path target) throws IOException {
        Path temp = tempSibling(target);
        try {
            Files.createDirectory(temp);
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, temp.resolve(f.getFileName().toString()));
                    }
                }
            }
            replaceDirectory(temp, target);
        } finally {
            deleteRecursively(temp);
        }
    }

    /** Deletes a file or folder tree if present; used to clean up after failures, so it never throws for absence. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }
        });
    }

    /** Cleanup on an error path: deletes quietly and attaches a failure to the error being reported. */
    public static void deleteQuietly(Path path, Throwable reported) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            reported.addSuppressed(e);
        }
    }
}
