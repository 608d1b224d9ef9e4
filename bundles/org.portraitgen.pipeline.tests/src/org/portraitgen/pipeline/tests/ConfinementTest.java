package org.portraitgen.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.api.pipeline.PipelineEngine;
import org.portraitgen.api.pipeline.RunOptions;
import org.portraitgen.api.pipeline.RunResult;

/**
 * File parameters stay inside the project folder (the graph's folder, or the nearest one above it marked by a
 * {@code portraitgen.project} file) or roots the user allowed: '..', absolute paths and symbolic links that leave
 * them are refused with the node and parameter named, before anything runs.
 */
class ConfinementTest extends PipelineTestSupport {

    @TempDir
    Path dir;
    Path project;
    Path outside;
    PipelineEngine engine;
    TestNodes.Reader reader;
    TestNodes.Sink sink;

    @BeforeEach
    void setUp() throws Exception {
        engine = engine();
        register(new TestNodes.Source());
        reader = register(new TestNodes.Reader());
        sink = register(new TestNodes.Sink());
        project = Files.createDirectories(dir.resolve("project"));
        outside = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(project.resolve("numbers.txt"), "1\n2\n");
        Files.writeString(outside.resolve("numbers.txt"), "secret\n");
    }

    @AfterEach
    void tearDown() {
        unregisterAll();
    }

    private List<Problem> problems(Graph g, Path baseDir, List<Path> allowed) {
        return engine.validate(g, new RunOptions(baseDir, dir.resolve("cache"), 1, null)
                .withAllowedRoots(allowed));
    }

    private static void assertRefused(List<Problem> problems, String node, String parameter, String... more) {
        assertEquals(1, problems.size(), problems::toString);
        String m = problems.get(0).message();
        assertTrue(m.contains("node '" + node + "'") && m.contains("parameter '" + parameter + "'")
                && m.contains("outside the allowed folders"), m);
        for (String s : more) {
            assertTrue(m.contains(s), () -> "should name '" + s + "': " + m);
        }
    }

    private static Graph reading(String file) {
        return graph(List.of(node("r", "test.reader", "file", file)));
    }

    private static Graph writing(String file) {
        return graph(List.of(node("s", "test.source", "count", 1L), node("k", "test.sink", "output", file)),
                edge("s.out", "k.in"));
    }

    @Test
    void dotDotAndAbsolutePathsOutsideTheProjectAreRefused() {
        assertEquals(List.of(), problems(reading("numbers.txt"), project, List.of()));
        assertRefused(problems(reading("../elsewhere/numbers.txt"), project, List.of()), "r", "file",
                outside.resolve("numbers.txt").toString(), project.toString());
        assertRefused(problems(reading(outside.resolve("numbers.txt").toString()), project, List.of()), "r", "file");
        assertRefused(problems(writing("../elsewhere/out.txt"), project, List.of()), "k", "output");
        // the plain validate(graph, folder) of the workbench confines the same way
        assertRefused(engine.validate(reading("../elsewhere/numbers.txt"), project), "r", "file");
    }

    @Test
    void allowedRootsAndAProjectMarkerAdmitTheirFiles() throws Exception {
        assertEquals(List.of(), problems(reading("../elsewhere/numbers.txt"), project, List.of(outside)));
        assertEquals(List.of(), problems(writing(outside.resolve("out.txt").toString()), project, List.of(outside)));
        // graphs/ beside samples/ in a marked project: '../' stays inside the project
        Path graphs = Files.createDirectories(project.resolve("graphs"));
        assertRefused(problems(reading("../numbers.txt"), graphs, List.of()), "r", "file");
        Files.writeString(project.resolve("portraitgen.project"), "");
        assertEquals(List.of(), problems(reading("../numbers.txt"), graphs, List.of()));
        assertRefused(problems(reading("../../elsewhere/numbers.txt"), graphs, List.of()), "r", "file");
    }

    @Test
    void symbolicLinksLeavingTheProjectAreRefused() throws Exception {
        Path linkedFile = Files.createSymbolicLink(project.resolve("innocent.txt"), outside.resolve("numbers.txt"));
        assertRefused(problems(reading(linkedFile.getFileName().toString()), project, List.of()), "r", "file",
                "symbolic link", outside.resolve("numbers.txt").toString());
        Path linkedFolder = Files.createSymbolicLink(project.resolve("out"), outside);
        assertRefused(problems(writing("out/result.txt"), project, List.of()), "k", "output", "symbolic link");
        Path dangling = Files.createSymbolicLink(project.resolve("later.txt"), outside.resolve("not-yet.txt"));
        assertRefused(problems(writing(dangling.getFileName().toString()), project, List.of()), "k", "output");
        // a link that stays inside is fine
        Files.createSymbolicLink(project.resolve("alias.txt"), project.resolve("numbers.txt"));
        assertEquals(List.of(), problems(reading("alias.txt"), project, List.of()));
        assertTrue(Files.isSymbolicLink(linkedFolder));
    }

    @Test
    void aRunRefusesBeforeAnyNodeExecutesAndWritesNothing() throws Exception {
        Path target = outside.resolve("overwritten.txt");
        RunResult r = engine.start(writing(target.toString()), new RunOptions(project, dir.resolve("cache"), 1, null),
                events::add).result().get(60, TimeUnit.SECONDS);
        assertFalse(r.succeeded());
        assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("node 'k'")
                && p.message().contains("outside the allowed folders")), r::toString);
        assertEquals(0, sink.executions.get());
        assertFalse(Files.exists(target));
    }

    @Test
    void aResolvedGraphInTheRunCacheKeepsTheRootsItsRunRecorded() throws Exception {
        Path cache = dir.resolve("cache");
        Path runDir = Files.createDirectories(cache.resolve("runs").resolve("r1"));
        Graph resolved = reading(outside.resolve("numbers.txt").toString());
        RunOptions worker = new RunOptions(runDir, cache, 1, "r");
        assertRefused(engine.validate(resolved, worker), "r", "file");
        Files.writeString(runDir.resolve("allowed-roots.txt"), outside + "\n");
        assertEquals(List.of(), engine.validate(resolved, worker));
        // the same file beside a graph outside the cache's runs folder grants nothing
        Files.writeString(project.resolve("allowed-roots.txt"), outside + "\n");
        assertRefused(engine.validate(resolved, new RunOptions(project, cache, 1, "r")), "r", "file");
    }
}
