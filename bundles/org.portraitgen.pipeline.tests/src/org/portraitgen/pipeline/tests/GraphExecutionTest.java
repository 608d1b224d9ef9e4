package org.portraitgen.pipeline.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.pipeline.NodeState;
import org.portraitgen.api.pipeline.RunEvent;
import org.portraitgen.api.pipeline.RunHandle;
import org.portraitgen.api.pipeline.RunOptions;
import org.portraitgen.api.pipeline.RunResult;

class GraphExecutionTest extends PipelineTestSupport {

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        unregisterAll();
    }

    @Test
    void runsInOrderAndServesAnUnchangedGraphFromCache() throws Exception {
        var source = register(new TestNodes.Source());
        var add = register(new TestNodes.Add());
        var sink = register(new TestNodes.Sink());
        Path out = dir.resolve("result.txt");
        Graph g = graph(List.of(node("src", "test.source", "count", 4L), node("add", "test.add", "delta", 10L),
                node("sink", "test.sink", "output", out.toString())), edge("src.out", "add.in"),
                edge("add.out", "sink.in"));
        RunResult first = run(g, dir, 2);
        assertTrue(first.succeeded(), first::toString);
        assertArrayEquals(new long[] {11, 12, 13, 14}, numbersIn(out));
        assertEquals(List.of(1, 1, 1), List.of(source.executions.get(), add.executions.get(),
                sink.executions.get()));

        Files.delete(out);
        RunResult second = run(g, dir, 2);
        assertTrue(second.succeeded(), second::toString);
        assertTrue(second.nodes().values().stream().allMatch(o -> o.state() == NodeState.CACHED), second::toString);
        assertEquals(List.of(1, 1, 1), List.of(source.executions.get(), add.executions.get(),
                sink.executions.get()), "no node executed on the second run");
        assertTrue(Files.exists(out), "a cached run still publishes its output file");

        RunResult changed = run(g.withNode(node("add", "test.add", "delta", 20L)), dir, 2);
        assertEquals(NodeState.CACHED, changed.nodes().get("src").state());
        assertEquals(NodeState.SUCCEEDED, changed.nodes().get("add").state());
        assertEquals(NodeState.SUCCEEDED, changed.nodes().get("sink").state(), "a changed input reruns dependants");
        assertArrayEquals(new long[] {21, 22, 23, 24}, numbersIn(out));
    }

    private static long[] numbersIn(Path file) throws java.io.IOException {
        return Files.readAllLines(file).stream().mapToLong(Long::parseLong).toArray();
    }

    @Test
    void inputFileContentIsPartOfTheCacheKey() throws Exception {
        var reader = register(new TestNodes.Reader());
        Path file = Files.writeString(dir.resolve("numbers.txt"), "1\n2\n");
        Graph g = graph(List.of(node("r", "test.reader", "file", "numbers.txt")));
        assertTrue(run(g, dir, 1).succeeded());
        assertTrue(run(g, dir, 1).succeeded());
        assertEquals(1, reader.executions.get());
        Files.writeString(file, "7\n8\n9\n");
        RunResult r = run(g, dir, 1);
        assertEquals(2, reader.executions.get(), "an edited input file invalidates the cached result");
        assertArrayEquals(new long[] {7, 8, 9}, TestNodes.readNumbers(r.nodes().get("r").outputs().get("out")));
    }

    @Test
    void anOptionalInputFileMayStayEmpty() throws Exception {
        var reader = register(new TestNodes.OptionalReader());
        Graph g = graph(List.of(node("r", "test.optional-reader")));
        assertEquals(List.of(), engine().validate(g, dir));
        RunResult first = run(g, dir, 1);
        assertTrue(first.succeeded(), first::toString);
        assertTrue(run(g, dir, 1).succeeded());
        assertEquals(1, reader.executions.get(), "an empty file parameter keeps a stable cache key");
    }

    @Test
    void independentBranchesRunInParallel() throws Exception {
        register(new TestNodes.Source());
        var twins = register(new TestNodes.Rendezvous());
        Graph g = graph(List.of(node("src", "test.source", "count", 2L), node("left", "test.rendezvous", "tag", "l"),
                node("right", "test.rendezvous", "tag", "r")), edge("src.out", "left.in"), edge("src.out", "right.in"));
        RunResult r = run(g, dir, 2);
        assertTrue(r.succeeded(), r::toString);
        assertEquals(2, twins.executions.get());
    }

    @Test
    void failureSkipsDependantsAndNamesTheNode() throws Exception {
        register(new TestNodes.Source());
        register(new TestNodes.Fail());
        var add = register(new TestNodes.Add());
        Graph g = graph(List.of(node("src", "test.source", "count", 2L), node("bad", "test.fail"),
                node("after", "test.add")), edge("src.out", "bad.in"), edge("bad.out", "after.in"));
        RunResult r = run(g, dir, 1);
        assertFalse(r.succeeded());
        assertEquals(NodeState.FAILED, r.nodes().get("bad").state());
        assertTrue(r.nodes().get("bad").message().contains("'bad'")
                && r.nodes().get("bad").message().contains("broken.mp4"), r.nodes().get("bad").message());
        assertEquals(NodeState.SKIPPED, r.nodes().get("after").state());
        assertTrue(r.invalid(), "an unusable input marks the run invalid (CLI exit code 2)");
        assertTrue(r.problems().isEmpty());
        assertEquals(0, add.executions.get());
    }

    @Test
    void cancelledRunResumesFromCacheAndCheckpoint() throws Exception {
        var source = register(new TestNodes.Source());
        var slow = register(new TestNodes.Slow());
        Graph g = graph(List.of(node("src", "test.source", "count", 3L), node("slow", "test.slow", "steps", 200L)),
                edge("src.out", "slow.in"));
        RunOptions options = new RunOptions(dir, dir.resolve("cache"), 1, null);
        RunHandle handle = engine().start(g, options, events::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(
                e -> "slow".equals(e.nodeId()) && e.kind() == RunEvent.Kind.PROGRESS && e.fraction() > 0.2));
        handle.cancel();
        RunResult cancelled = handle.result().get(30, TimeUnit.SECONDS);
        assertEquals(NodeState.SUCCEEDED, cancelled.nodes().get("src").state());
        assertEquals(NodeState.CANCELLED, cancelled.nodes().get("slow").state());

        RunResult resumed = run(g, dir, 1);
        assertTrue(resumed.succeeded(), resumed::toString);
        assertEquals(NodeState.CACHED, resumed.nodes().get("src").state());
        assertEquals(1, source.executions.get());
        assertTrue(slow.resumedAt.get() >= 40, "resumed at step " + slow.resumedAt.get() + ", not from scratch");
        assertArrayEquals(new long[] {1, 2, 3}, TestNodes.readNumbers(resumed.nodes().get("slow").outputs()
                .get("out")));
    }

    @Test
    void progressEventsCarryFractionAndEta() throws Exception {
        register(new TestNodes.Source());
        register(new TestNodes.Slow());
        Graph g = graph(List.of(node("src", "test.source", "count", 1L), node("slow", "test.slow", "steps", 30L)),
                edge("src.out", "slow.in"));
        assertTrue(run(g, dir, 1).succeeded());
        List<RunEvent> progress = events.stream().filter(e -> e.kind() == RunEvent.Kind.PROGRESS
                && "slow".equals(e.nodeId())).toList();
        assertEquals(30, progress.size());
        assertEquals(1.0, progress.get(29).fraction(), 1e-9);
        assertTrue(progress.get(15).etaSeconds() > 0, "ETA known half way");
        assertTrue(events.stream().anyMatch(e -> e.kind() == RunEvent.Kind.STATE && e.state() == NodeState.RUNNING));
    }

    @Test
    void providerLeavingMidRunFailsOnlyThatRun() throws Exception {
        register(new TestNodes.Source());
        var slow = new TestNodes.Slow();
        slow.gate = new CountDownLatch(1);
        register(slow);
        Graph g = graph(List.of(node("src", "test.source", "count", 1L), node("slow", "test.slow", "steps", 5L)),
                edge("src.out", "slow.in"));
        RunHandle handle = engine().start(g, new RunOptions(dir, dir.resolve("cache"), 1, null), events::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.executions.get() == 1);
        registrations.get(1).unregister(); // as when its bundle is uninstalled
        slow.gate.countDown();
        RunResult r = handle.result().get(30, TimeUnit.SECONDS);
        assertEquals(NodeState.FAILED, r.nodes().get("slow").state());
        assertTrue(r.nodes().get("slow").message().contains("org.portraitgen.pipeline.tests")
                && r.nodes().get("slow").message().contains("uninstalled"), r.nodes().get("slow").message());
        // the engine itself is unharmed: a graph without the departed type still runs
        assertTrue(run(graph(List.of(node("src", "test.source", "count", 2L))), dir, 1).succeeded());
    }

    @Test
    void slicesRunApartAndMergeIntoTheWholeResult() throws Exception {
        register(new TestNodes.Source());
        var square = register(new TestNodes.Square());
        Graph g = graph(List.of(node("src", "test.source", "count", 7L), node("sq", "test.square")),
                edge("src.out", "sq.in"));
        Path cache = dir.resolve("cache");
        for (int i = 0; i < 3; i++) {
            RunResult slice = engine().start(g, new RunOptions(dir, cache, 1, "sq", RunOptions.Isolation.IN_PROCESS,
                    0, new org.portraitgen.api.node.FrameSlice(i, 3), 0), events::add).result()
                    .get(30, TimeUnit.SECONDS);
            assertTrue(slice.succeeded(), slice::toString);
        }
        RunResult early = run(g, dir, 1);
        assertEquals(NodeState.SUCCEEDED, early.nodes().get("sq").state(), "slices alone are not the node's result");
        Path whole = early.nodes().get("sq").outputs().get("out");
        long[] expected = TestNodes.readNumbers(whole);

        Path other = dir.resolve("other");
        Files.createDirectories(other);
        for (int i = 0; i < 3; i++) {
            engine().start(g, new RunOptions(other, other.resolve("cache"), 1, "sq", RunOptions.Isolation.IN_PROCESS,
                    0, new org.portraitgen.api.node.FrameSlice(i, 3), 0), events::add).result().get(30,
                    TimeUnit.SECONDS);
        }
        RunResult merged = engine().start(g, new RunOptions(other, other.resolve("cache"), 1, "sq",
                RunOptions.Isolation.IN_PROCESS, 0, null, 3), events::add).result().get(30, TimeUnit.SECONDS);
        assertTrue(merged.succeeded(), merged::toString);
        assertArrayEquals(new long[] {1, 4, 9, 16, 25, 36, 49}, expected);
        assertArrayEquals(expected, TestNodes.readNumbers(merged.nodes().get("sq").outputs().get("out")));
        RunResult missing = engine().start(g, new RunOptions(dir, dir.resolve("empty-cache"), 1, "sq",
                RunOptions.Isolation.IN_PROCESS, 0, null, 2), events::add).result().get(30, TimeUnit.SECONDS);
        assertEquals(NodeState.FAILED, missing.nodes().get("sq").state());
        assertTrue(missing.nodes().get("sq").message().contains("slice 0/2 is not in the cache"), missing::toString);
        assertEquals(3 + 1 + 3, square.executions.get());
    }

    @Test
    void invalidGraphRunsNothing() throws Exception {
        var source = register(new TestNodes.Source());
        RunResult r = run(graph(List.of(node("src", "test.source", "count", -1L))), dir, 1);
        assertTrue(r.invalid());
        assertEquals(0, source.executions.get());
    }
}
