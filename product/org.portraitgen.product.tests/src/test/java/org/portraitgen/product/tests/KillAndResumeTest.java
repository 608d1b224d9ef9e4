package org.portraitgen.product.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker running a node is killed with SIGKILL mid-work (lifting, editing frames, encoding), as a crash, the OOM
 * killer or a pulled plug would; running the graph again continues from what the killed worker had saved, loses at
 * most one checkpoint interval, and ends with the result an uninterrupted run gives, with no partial file left in
 * the output folder or the run cache. The uninterrupted run uses a copy of the same cache, so both start from the
 * same decoded, matted and tracked inputs.
 */
class KillAndResumeTest {

    private static final Pattern LOSS_STEP = Pattern.compile("loss @(\\d+) =");

    @TempDir
    Path dir;
    Path project;
    Map<String, String> env = new HashMap<>();

    @BeforeEach
    void project() throws IOException {
        project = Files.createDirectories(dir.resolve("project"));
        env.put("PORTRAITGEN_TRUST_DIR", dir.resolve("trust").toString());
    }

    private Path graph(String json) throws IOException {
        return Files.writeString(project.resolve("graph.json"), json);
    }

    private String video() {
        return "--set=decode.file=" + Product.projectRoot().resolve("samples/d0.mp4");
    }

    private Product.Result run(Path cache, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("run", project.resolve("graph.json").toString(), video(),
                "--cache", cache.toString()));
        all.addAll(List.of(args));
        return Product.run(project, env, all.toArray(String[]::new));
    }

    /**
     * Starts a worker-isolated run, waits until {@code ready} holds for some file under the cache, then SIGKILLs the
     * worker process of {@code node} (the launcher script and its JVM). Returns the run's result.
     */
    private Product.Result runAndKillWorker(Path cache, String node, Predicate<Path> ready) throws Exception {
        List<String> command = new ArrayList<>(List.of(Product.home().resolve("portraitgen").toString(), "run",
                project.resolve("graph.json").toString(), video(), "--cache", cache.toString(), "--isolation",
                "worker"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process parent = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        List<ProcessHandle> workers = List.of();
        while (System.nanoTime() < deadline && parent.isAlive()) {
            if (anyFile(cache, ready)) {
                workers = parent.descendants().filter(p -> p.info().commandLine().map(c -> c.contains("run-node")
                        && c.contains("--node " + node)).orElse(false)).toList();
                if (!workers.isEmpty()) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertFalse(workers.isEmpty(), "the worker of '" + node + "' was never seen at work: "
                + Files.readString(err));
        workers.forEach(ProcessHandle::destroyForcibly); // SIGKILL: no shutdown hook, no cleanup
        assertTrue(parent.waitFor(5, TimeUnit.MINUTES), "the run survives its worker's death and ends");
        return new Product.Result(parent.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static boolean anyFile(Path root, Predicate<Path> test) throws IOException {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(test);
        } catch (java.io.UncheckedIOException e) {
            return false; // a folder renamed while walked
        }
    }

    private static List<Path> files(Path root, Predicate<Path> test) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(test).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (Path p : files(from, p -> true)) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target);
            }
        }
    }

    /** The one committed result folder of a node's port, e.g. results/KEY/outputs/field. */
    private static Path result(Path cache, String node, String port) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path json : files(cache.resolve("results"), p -> p.getFileName().toString().equals("node.json"))) {
            if (Files.readString(json).contains("\"node\":\"" + node + "\"")) {
                found.add(json.resolveSibling("outputs").resolve(port));
            }
        }
        assertEquals(1, found.size(), found::toString);
        return found.get(0);
    }

    /** Every node log of {@code node} in the cache, oldest run first. */
    private static List<String> logs(Path cache, String node) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path log : files(cache.resolve("logs"), p -> p.getFileName().toString().equals(node + ".log"))) {
            texts.add(Files.readString(log));
        }
        return texts;
    }

    private static List<Integer> lossSteps(String log) {
        List<Integer> steps = new ArrayList<>();
        Matcher m = LOSS_STEP.matcher(log);
        while (m.find()) {
            steps.add(Integer.parseInt(m.group(1)));
        }
        return steps;
    }

    /** The data files (frames, checkpoints, audio) byte for byte; JSON descriptions name their own folders. */
    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        Predicate<Path> data = p -> Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".json");
        List<Path> a = files(expected, data);
        List<Path> b = files(actual, data);
        assertFalse(a.isEmpty(), "no result files in " + expected);
        assertEquals(a.stream().map(expected::relativize).map(Path::toString).toList(),
                b.stream().map(actual::relativize).map(Path::toString).toList());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).toString());
        }
    }

    private static void assertNoStagingLeft(Path cache) throws IOException {
        Path staging = cache.resolve("staging");
        assertTrue(!Files.exists(staging) || files(staging, Files::isRegularFile).isEmpty(),
                () -> "partial outputs left in " + staging);
    }

    @Test
    void liftingResumesFromTheLastCheckpoint() throws Exception {
        // the CPU reference is deterministic, so resumed and uninterrupted lifts can be compared bit for bit; the
        // GPU trainer's float atomics sum in no fixed order
        env.put("PORTRAITGEN_GPU", "off");
        int every = 4;
        graph("""
                {"schemaVersion": 1, "nodes": [
                  {"id": "decode", "type": "video.decode", "parameters": {"max_frames": 4, "width": 48}},
                  {"id": "matte", "type": "track.matte"},
                  {"id": "track", "type": "track.track"},
                  {"id": "lift", "type": "field.lift", "parameters": {"steps": 16, "checkpoint_every": %d,
                    "validate_every": 1000, "holdout_every": 0, "resolution": 48, "uv_resolution": 8}}],
                 "edges": [{"from": "decode.frames", "to": "matte.frames"}, {"from": "decode.frames", "to": "track.frames"},
                  {"from": "matte.masks", "to": "track.masks"}, {"from": "decode.frames", "to": "lift.frames"},
                  {"from": "matte.masks", "to": "lift.masks"}, {"from": "track.tracking", "to": "lift.tracking"}]}
                """.formatted(every));
        Path cache = dir.resolve("cache");
        Product.Result upstream = run(cache, "--only", "track", "--isolation", "in-process");
        assertEquals(0, upstream.exitCode(), upstream::toString);
        Path straightCache = dir.resolve("straight");
        copyTree(cache, straightCache);

        Product.Result killed = runAndKillWorker(cache, "lift",
                p -> p.getFileName().toString().equals("field.ckpt") && p.toString().contains("/checkpoints/"));
        assertEquals(1, killed.exitCode(), killed::toString);
        assertTrue(killed.err().contains("lift: failed"), killed::toString);
        List<Integer> before = lossSteps(String.join("\n", logs(cache, "lift")));
        int reached = before.isEmpty() ? 0 : before.get(before.size() - 1);

        Product.Result resumed = run(cache, "--isolation", "worker");
        assertEquals(0, resumed.exitCode(), resumed::toString);
        List<String> liftLogs = logs(cache, "lift");
        String last = liftLogs.get(liftLogs.size() - 1);
        assertTrue(last.contains("resumed from the checkpoint"), last);
        assertTrue(last.contains("training on the CPU"), last);
        int from = lossSteps(last).get(0) - 1;
        assertTrue(from > 0 && from % every == 0, "resumed at a checkpoint, not from scratch: step " + from);
        assertTrue(reached - from <= every, "the killed worker had reached step " + reached + "; resuming at " + from
                + " loses more than one checkpoint interval of " + every);

        Product.Result straight = run(straightCache, "--isolation", "in-process");
        assertEquals(0, straight.exitCode(), straight::toString);
        // the same steps on the same batches: the resumed field equals the uninterrupted one bit for bit
        assertSameFiles(result(straightCache, "lift", "field"), result(cache, "lift", "field"));
        assertNoStagingLeft(cache);
    }

    @Test
    void editingKeepsTheFramesFinishedBeforeTheKill() throws Exception {
        int frames = 24;
        graph("""
                {"schemaVersion": 1, "nodes": [
                  {"id": "decode", "type": "video.decode", "parameters": {"max_frames": %d, "width": 96}},
                  {"id": "edit", "type": "editor.apply", "parameters": {"editor": "builtin.painterly"}}],
                 "edges": [{"from": "decode.frames", "to": "edit.frames"}]}
                """.formatted(frames));
        Path cache = dir.resolve("cache");
        Product.Result upstream = run(cache, "--only", "decode", "--isolation", "in-process");
        assertEquals(0, upstream.exitCode(), upstream::toString);
        Path straightCache = dir.resolve("straight");
        copyTree(cache, straightCache);

        Predicate<Path> edited = p -> p.getFileName().toString().matches("edited-\\d{6}\\.f32");
        Product.Result killed = runAndKillWorker(cache, "edit", p -> {
            try {
                return edited.test(p) && files(p.getParent(), edited).size() >= 3;
            } catch (IOException | java.io.UncheckedIOException e) {
                return false;
            }
        });
        assertEquals(1, killed.exitCode(), killed::toString);
        int kept = files(cache.resolve("checkpoints"), edited).size();
        assertTrue(kept >= 3 && kept < frames, "frames finished before the kill: " + kept);

        Product.Result resumed = run(cache, "--isolation", "worker");
        assertEquals(0, resumed.exitCode(), resumed::toString);
        List<String> editLogs = logs(cache, "edit");
        assertTrue(editLogs.get(editLogs.size() - 1).contains("resumed: " + kept + " of " + frames + " frames"),
                editLogs.get(editLogs.size() - 1));

        Product.Result straight = run(straightCache, "--isolation", "in-process");
        assertEquals(0, straight.exitCode(), straight::toString);
        assertSameFiles(result(straightCache, "edit", "frames"), result(cache, "edit", "frames"));
        assertFalse(Files.exists(cache.resolve("checkpoints")) && !files(cache.resolve("checkpoints"), edited)
                .isEmpty(), "the kept frames are dropped once the result is committed");
        assertNoStagingLeft(cache);
    }

    @Test
    void encodingStartsCleanAfterAKillAndLeavesNoPartialFile() throws Exception {
        graph("""
                {"schemaVersion": 1, "nodes": [
                  {"id": "decode", "type": "video.decode", "parameters": {"max_frames": 60, "width": 256}},
                  {"id": "encode", "type": "video.encode", "parameters": {"output": "out/clip.mp4"}}],
                 "edges": [{"from": "decode.frames", "to": "encode.frames"}]}
                """);
        Path cache = dir.resolve("cache");
        Path out = Files.createDirectories(project.resolve("out"));
        Product.Result upstream = run(cache, "--only", "decode", "--isolation", "in-process");
        assertEquals(0, upstream.exitCode(), upstream::toString);

        Product.Result killed = runAndKillWorker(cache, "encode",
                p -> p.getFileName().toString().matches("\\.video\\.mp4\\..*\\.tmp|\\..*\\.mp4\\..*\\.tmp"));
        assertEquals(1, killed.exitCode(), killed::toString);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "nothing is published by a killed encode");
        }

        Product.Result again = run(cache, "--isolation", "worker");
        assertEquals(0, again.exitCode(), again::toString);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(out.resolve("clip.mp4")), s.toList());
        }
        assertNoStagingLeft(cache);
        Product.Result probe = Product.run(project, env, "probe", out.resolve("clip.mp4").toString());
        assertEquals(0, probe.exitCode(), probe::toString);
        assertTrue(probe.out().contains("60"), probe::toString);
        assertTrue(Files.size(out.resolve("clip.mp4")) > 0);
        assertTrue(files(cache, p -> p.getFileName().toString().endsWith(".tmp")).isEmpty(),
                "no temp file left in the cache");
    }
}
