package org.portraitgen.pipeline.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Node results on disk, the data plane shared by every executor:
 *
 * <pre>
 * cache/results/KEY/outputs/PORT/...   committed results (a folder appears whole, by rename)
 * cache/results/KEY/node.json          what produced them
 * cache/staging/KEY.RUN/               a node's outputs while it runs
 * cache/checkpoints/KEY/               resumable state of an unfinished node
 * cache/logs/RUN/NODE.log              node logs
 * </pre>
 *
 * KEY hashes the node type, its provider's version, its parameters (input files by content) and the keys of its
 * inputs, so an unchanged node is never computed twice and a changed one never reuses a stale result.
 */
public final class RunCache {

    private final Path root;
    private final Map<String, String> fileHashes = new ConcurrentHashMap<>();

    public RunCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path result(String key) {
        return root.resolve("results").resolve(key);
    }

    public boolean has(String key) {
        return Files.isRegularFile(result(key).resolve("node.json"));
    }

    public Path outputs(String key) {
        return result(key).resolve("outputs");
    }

    public Path checkpoints(String key) throws IOException {
        return Files.createDirectories(root.resolve("checkpoints").resolve(key));
    }

    /**
     * A fresh staging folder for the node with KEY in run RUN, owned by this process (an {@value #OWNER} file names
     * its host and pid). Staging folders of the same key whose owner on this host is gone — a worker killed while
     * writing, say mid-encode — are deleted first, so a killed run leaves no partial outputs once the node runs again.
     */
    public Path newStaging(String key, String runId) throws IOException {
        Path parent = Files.createDirectories(root.resolve("staging"));
        try (Stream<Path> others = Files.list(parent)) {
            for (Path other : others.filter(p -> p.getFileName().toString().startsWith(key + ".")).toList()) {
                if (ownerIsGone(other)) {
                    AtomicFiles.deleteTree(other);
                }
            }
        }
        Path staging = parent.resolve(key + "." + runId);
        AtomicFiles.deleteTree(staging);
        Files.createDirectories(staging);
        Files.writeString(staging.resolve(OWNER), HOST + " " + ProcessHandle.current().pid() + "\n");
        return staging;
    }

    /** The file in a staging folder naming the host and process that writes it. */
    static final String OWNER = ".owner";
    private static final String HOST = hostName();

    private static boolean ownerIsGone(Path staging) {
        try {
            String[] owner = Files.readString(staging.resolve(OWNER)).trim().split(" ");
            return owner.length == 2 && owner[0].equals(HOST) && ProcessHandle.of(Long.parseLong(owner[1]))
                    .map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE;
        } catch (IOException | NumberFormatException e) {
            return false; // no owner recorded (an older run, another tool): left alone
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replace(' ', '_');
        } catch (IOException e) {
            return "localhost";
        }
    }

    public Path log(String runId, String nodeId) throws IOException {
        return Files.createDirectories(root.resolve("logs").resolve(runId)).resolve(nodeId + ".log");
    }

    /** Where slice INDEX of the node with KEY keeps its outputs until they are merged. */
    public Path slice(String key, int index) {
        return root.resolve("slices").resolve(key).resolve(Integer.toString(index));
    }

    public boolean hasSlice(String key, int index) {
        return Files.isRegularFile(slice(key, index).resolve("node.json"));
    }

    /** Publishes a finished slice's staging folder (with outputs/ inside) by rename. */
    public void commitSlice(Path staging, String key, int index, String nodeJson) throws IOException {
        Files.deleteIfExists(staging.resolve(OWNER)); // a result is the same whichever process made it
        Files.writeString(staging.resolve("node.json"), nodeJson);
        Path target = slice(key, index);
        Files.createDirectories(target.getParent());
        try {
            Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            AtomicFiles.deleteTree(staging);
        }
    }

    public void dropSlices(String key) throws IOException {
        AtomicFiles.deleteTree(root.resolve("slices").resolve(key));
    }

    /** Publishes a staging folder (with outputs/ inside) as the result for the key, then drops its checkpoints. */
    public void commit(Path staging, String key, String nodeJson) throws IOException {
        Files.deleteIfExists(staging.resolve(OWNER)); // a result is the same whichever process made it
        Files.writeString(staging.resolve("node.json"), nodeJson);
        Path target = result(key);
        Files.createDirectories(target.getParent());
        try {
            Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another run finished the same node first; its result is equivalent
            AtomicFiles.deleteTree(staging);
        }
        AtomicFiles.deleteTree(root.resolve("checkpoints").resolve(key));
    }

    /** Content hash of a file or folder tree, memoised by path, size and modification time. */
    public String contentHash(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            MessageDigest md = sha256();
            try (Stream<Path> files = Files.walk(path)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    md.update(path.relativize(f).toString().getBytes());
                    md.update(contentHash(f).getBytes());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        }
        String memo = path.toAbsolutePath() + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path);
        String known = fileHashes.get(memo);
        if (known != null) {
            return known;
        }
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        String hash = HexFormat.of().formatHex(md.digest());
        fileHashes.put(memo, hash);
        return hash;
    }

    /** Hash of a sorted description of everything that determines a node's result. */
    public static String key(Map<String, String> parts) {
        MessageDigest md = sha256();
        new TreeMap<>(parts).forEach((k, v) -> {
            md.update(k.getBytes());
            md.update((byte) 0);
            md.update(v.getBytes());
            md.update((byte) '\n');
        });
        return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
