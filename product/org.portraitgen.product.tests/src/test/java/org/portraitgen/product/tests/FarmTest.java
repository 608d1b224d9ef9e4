package org.portraitgen.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graphs on a real Slurm cluster of three nodes on this machine (two with fake GPUs), started by the same script a
 * user runs (releng/slurm-cluster.sh): placement, dependency order, failure, a killed worker and cancellation.
 */
class FarmTest {

    @TempDir
    static Path cluster;
    static Map<String, String> baseEnv = new HashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        Process p = new ProcessBuilder("bash", Product.projectRoot().resolve("releng/slurm-cluster.sh").toString(),
                "start", cluster.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "the local Slurm cluster did not start:\n" + out);
        baseEnv.put("SLURM_CONF", cluster.resolve("slurm.conf").toString());
        Path dropins = Files.createDirectories(cluster.resolve("dropins"));
        try (Stream<Path> files = Files.list(Product.projectRoot().resolve(
                "bundles/org.portraitgen.testfixtures.faults/target"))) {
            Files.copy(files.filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow(),
                    dropins.resolve("fixtures.jar"));
        }
        baseEnv.put("PORTRAITGEN_DROPINS", dropins.toString());
        baseEnv.put("PORTRAITGEN_TRUST_DIR", cluster.resolve("trust").toString());
        Product.Result trusted = Product.run(cluster, baseEnv, "bundles", "trust",
                dropins.resolve("fixtures.jar").toString());
        assertEquals(0, trusted.exitCode(), trusted::toString);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        new ProcessBuilder("bash", Product.projectRoot().resolve("releng/slurm-cluster.sh").toString(), "stop",
                cluster.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    }

    private Map<String, String> env(String cache) {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("PORTRAITGEN_CACHE", dir.resolve(cache).toString());
        return env;
    }

    private Path graph(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name + ".json"), json);
    }

    private static String runId(Product.Result r) {
        Matcher m = Pattern.compile("submitted run (\\S+) to slurm").matcher(r.out());
        assertTrue(m.find(), r::toString);
        return m.group(1);
    }

    /** Every node result's text in a cache, to compare a farm run with a local one. */
    private static TreeSet<String> texts(Path cache) throws IOException {
        TreeSet<String> texts = new TreeSet<>();
        try (Stream<Path> files = Files.walk(cache.resolve("results"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("text.txt")).toList()) {
                texts.add(Files.readString(f));
            }
        }
        return texts;
    }

    /**
     * Asserts that every node result of the local cache is in the farm cache under the same key, file for file and
     * byte for byte (the run record node.json aside).
     */
    private static void assertSameResults(Path local, Path farm) throws IOException {
        try (Stream<Path> files = Files.walk(local.resolve("results"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.endsWith("node.json")).toList()) {
                Path twin = farm.resolve(local.relativize(f));
                assertTrue(Files.exists(twin), "the farm run has no " + twin);
                assertEquals(-1L, Files.mismatch(f, twin), "farm and local results differ: " + twin);
            }
        }
    }

    private Product.Result awaitLayer(String cache, String runId, String node, String state) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        Product.Result status;
        do {
            status = Product.run(dir, env(cache), "farm", "status", runId);
            if (Pattern.compile("(?m)^\\s+" + node + "\\s+" + state + "\\b").matcher(status.out()).find()) {
                return status;
            }
            Thread.sleep(1000);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("node " + node + " never reached " + state + ":\n" + status);
    }

    @Test
    void gpuNodesLandOnGpuMachinesInEdgeOrderAndMatchALocalRun() throws Exception {
        Path g = graph("chain", """
                {"schemaVersion": 1, "nodes": [
                  {"id": "a", "type": "fixture.cpu-step", "parameters": {"label": "a"}}, {"id": "b", "type": "fixture.gpu-step", "parameters": {"label": "b"}},
                  {"id": "c", "type": "fixture.cpu-step", "parameters": {"label": "c"}}, {"id": "d", "type": "fixture.gpu-step", "parameters": {"label": "d"}}],
                 "edges": [{"from": "a.out", "to": "b.in"}, {"from": "b.out", "to": "c.in"},
                           {"from": "a.out", "to": "d.in"}]}
                """);
        Product.Result farm = Product.run(dir, env("farm-cache"), "run", g.toString(), "--farm", "slurm");
        assertEquals(0, farm.exitCode(), farm::toString);
        String run = runId(farm);
        Product.Result status = Product.run(dir, env("farm-cache"), "farm", "status", run);
        assertEquals(0, status.exitCode(), status::toString);
        for (String gpuNode : List.of("b", "d")) {
            assertTrue(Pattern.compile("(?m)^\\s+" + gpuNode + "\\s+succeeded\\s+\\d+\\s+gpu[12]\\b")
                    .matcher(status.out()).find(), "GPU node " + gpuNode + " ran on a GPU machine:\n" + status);
        }
        Product.Result logs = Product.run(dir, env("farm-cache"), "farm", "logs", run, "b");
        assertTrue(logs.out().contains("with GPUs '0'"), "the scheduler handed the task a GPU:\n" + logs);

        Product.Result local = Product.run(dir, env("local-cache"), "run", g.toString(), "--isolation",
                "in-process");
        assertEquals(0, local.exitCode(), local::toString);
        assertSameResults(dir.resolve("local-cache"), dir.resolve("farm-cache"));
        TreeSet<String> farmTexts = texts(dir.resolve("farm-cache"));
        assertTrue(farmTexts.contains("a\nb\nc\n"), "c ran after b after a: " + farmTexts);

        Product.Result again = Product.run(dir, env("farm-cache"), "run", g.toString(), "--farm", "slurm");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("0 node(s), 4 from cache"), "a resubmitted run recomputes nothing:\n"
                + again);
    }

    @Test
    void perFrameNodeIsSplitIntoAJobArrayAndMatchesALocalRun() throws Exception {
        Path out = dir.resolve("farm.mp4");
        List<String> args = List.of("run", Product.projectRoot().resolve("graphs/grade.json").toString(),
                "--set=decode.file=" + Product.projectRoot().resolve("samples/d0.mp4"), "--set=decode.max_frames=12",
                "--set=decode.width=128", "--set=grade.look=mono", "--set=encode.output=" + out);
        List<String> farmArgs = new java.util.ArrayList<>(args);
        farmArgs.addAll(List.of("--farm", "slurm", "--slices", "3"));
        Product.Result farm = Product.run(dir, env("farm-cache"), farmArgs.toArray(String[]::new));
        assertEquals(0, farm.exitCode(), farm::toString);
        assertTrue(Files.exists(out), "the farm run published its video");
        Path runDir = dir.resolve("farm-cache/farm").resolve(runId(farm));
        for (int i = 0; i < 3; i++) {
            assertTrue(Files.readString(runDir.resolve("grade.s" + i + ".state")).contains("result=succeeded"),
                    "array task " + i + " ran");
        }
        List<String> localArgs = new java.util.ArrayList<>(args);
        localArgs.set(localArgs.size() - 1, "--set=encode.output=" + dir.resolve("local.mp4"));
        localArgs.addAll(List.of("--isolation", "in-process"));
        Product.Result local = Product.run(dir, env("local-cache"), localArgs.toArray(String[]::new));
        assertEquals(0, local.exitCode(), local::toString);
        assertSameResults(dir.resolve("local-cache"), dir.resolve("farm-cache"));
    }

    @Test
    void failedNodeIsRetriedThenItsDependantsAreCancelled() throws Exception {
        Path g = graph("failing", """
                {"schemaVersion": 1, "nodes": [
                  {"id": "a", "type": "fixture.cpu-step", "parameters": {"label": "a"}},
                  {"id": "bad", "type": "fixture.cpu-step", "parameters": {"mode": "fail"}},
                  {"id": "after", "type": "fixture.cpu-step", "parameters": {"label": "after"}}],
                 "edges": [{"from": "a.out", "to": "bad.in"}, {"from": "bad.out", "to": "after.in"}]}
                """);
        Product.Result r = Product.run(dir, env("cache"), "run", g.toString(), "--farm", "slurm", "--retries", "1");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("bad: failed - failed after 2 attempt(s)") && r.err().contains("bad.log"),
                r::toString);
        assertTrue(r.err().contains("after: cancelled - cancelled because a node it depends on failed"),
                r::toString);
        Product.Result logs = Product.run(dir, env("cache"), "farm", "logs", runId(r), "bad");
        assertTrue(logs.out().contains("was told to fail"), logs::toString);
    }

    @Test
    void killedWorkerIsRescheduledAndResumesFromItsCheckpoint() throws Exception {
        Path g = graph("slow", """
                {"schemaVersion": 1, "nodes": [
                  {"id": "a", "type": "fixture.cpu-step", "parameters": {"label": "a"}},
                  {"id": "slow", "type": "fixture.cpu-step", "parameters": {"mode": "slow"}}],
                 "edges": [{"from": "a.out", "to": "slow.in"}]}
                """);
        Product.Result submitted = Product.run(dir, env("cache"), "run", g.toString(), "--farm", "slurm",
                "--detach");
        assertEquals(0, submitted.exitCode(), submitted::toString);
        String run = runId(submitted);
        awaitLayer("cache", run, "slow", "running");
        Path checkpoint;
        do {
            Thread.sleep(500);
            try (Stream<Path> files = Files.walk(dir.resolve("cache/checkpoints"))) {
                checkpoint = files.filter(p -> p.getFileName().toString().equals("step")).findFirst().orElse(null);
            }
        } while (checkpoint == null || Integer.parseInt(Files.readString(checkpoint).trim()) < 5);
        Process kill = new ProcessBuilder("pkill", "-9", "-f", "run-node .* --node slow").start();
        assertEquals(0, kill.waitFor(), "a worker was there to kill");
        Product.Result done = awaitLayer("cache", run, "slow", "succeeded");
        assertTrue(Pattern.compile("(?m)^\\s+slow\\s+succeeded\\s+\\d+\\s+\\S+\\s+2\\b").matcher(done.out()).find(),
                "the task took a second attempt:\n" + done);
        Product.Result logs = Product.run(dir, env("cache"), "farm", "logs", run, "slow");
        Matcher resumed = Pattern.compile("resuming at step (\\d+)").matcher(logs.out());
        assertTrue(resumed.find() && resumed.find() && Integer.parseInt(resumed.group(1)) >= 5,
                "the second attempt resumed from the checkpoint:\n" + logs);
    }

    @Test
    void cancellingARunCancelsItsJobs() throws Exception {
        Path g = graph("cancel", """
                {"schemaVersion": 1, "nodes": [
                  {"id": "slow", "type": "fixture.gpu-step", "parameters": {"mode": "slow"}},
                  {"id": "next", "type": "fixture.cpu-step", "parameters": {"label": "next"}}],
                 "edges": [{"from": "slow.out", "to": "next.in"}]}
                """);
        Product.Result submitted = Product.run(dir, env("cache"), "run", g.toString(), "--farm", "slurm",
                "--detach");
        String run = runId(submitted);
        awaitLayer("cache", run, "slow", "running");
        Product.Result cancel = Product.run(dir, env("cache"), "farm", "cancel", run);
        assertEquals(0, cancel.exitCode(), cancel::toString);
        awaitLayer("cache", run, "slow", "cancelled");
        Product.Result status = awaitLayer("cache", run, "next", "cancelled");
        assertEquals(1, status.exitCode(), status::toString);
    }
}
