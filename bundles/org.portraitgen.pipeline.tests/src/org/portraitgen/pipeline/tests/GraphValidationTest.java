package org.portraitgen.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphFormatException;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.api.graph.Problem.Kind;
import org.portraitgen.api.pipeline.PipelineEngine;

class GraphValidationTest extends PipelineTestSupport {

    @TempDir
    Path dir;
    PipelineEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = engine();
        register(new TestNodes.Source());
        register(new TestNodes.Add());
        register(new TestNodes.Sink());
        register(new TestNodes.Other());
        register(new TestNodes.Reader());
    }

    @AfterEach
    void tearDown() {
        unregisterAll();
    }

    private Problem only(Graph g) {
        List<Problem> problems = engine.validate(g, dir);
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        return problems.get(0);
    }

    private static void assertNames(Problem p, Kind kind, String... culprits) {
        assertEquals(kind, p.kind(), p.message());
        for (String c : culprits) {
            assertTrue(p.message().contains(c), () -> "message should name '" + c + "': " + p.message());
        }
    }

    @Test
    void validGraphHasNoProblems() {
        Graph g = graph(List.of(node("src", "test.source", "count", 3L), node("add", "test.add", "delta", 2L)),
                edge("src.out", "add.in"));
        assertEquals(List.of(), engine.validate(g, dir));
    }

    @Test
    void unknownTypeSuggestsTheClosestOne() {
        Problem p = only(graph(List.of(node("s", "test.sourse", "count", 3L))));
        assertNames(p, Kind.UNKNOWN_NODE_TYPE, "'s'", "test.sourse", "did you mean 'test.source'");
    }

    @Test
    void typeWhoseBundleIsGoneNamesTheBundle() {
        var reg = registrations.get(0); // the source's registration
        reg.unregister();
        Problem p = only(graph(List.of(node("s", "test.source", "count", 3L))));
        assertNames(p, Kind.MISSING_PROVIDER, "'s'", "test.source", "org.portraitgen.pipeline.tests");
        Problem fromFile = only(graph(List.of(node("v", "video.unheard", "count", 3L).withProvider("org.acme.v"))));
        assertNames(fromFile, Kind.MISSING_PROVIDER, "'v'", "org.acme.v");
    }

    @Test
    void cycleIsNamed() {
        Graph g = graph(List.of(node("src", "test.source", "count", 3L), node("a", "test.add"),
                node("b", "test.add")), edge("a.out", "b.in"), edge("b.out", "a.in"));
        List<Problem> problems = engine.validate(g, dir);
        Problem cycle = problems.stream().filter(p -> p.kind() == Kind.CYCLE).findFirst().orElseThrow();
        assertNames(cycle, Kind.CYCLE, "a", "b", "->");
    }

    @Test
    void portTypeMismatchNamesPortAndTypes() {
        Problem p = only(graph(List.of(node("o", "test.other"), node("a", "test.add")), edge("o.out", "a.in")));
        assertNames(p, Kind.PORT_TYPE_MISMATCH, "'a'", "'in'", "test-other", "test-numbers");
    }

    @Test
    void unknownPortAndUnconnectedInput() {
        List<Problem> problems = engine.validate(graph(List.of(node("src", "test.source", "count", 1L),
                node("a", "test.add")), edge("src.nope", "a.in")), dir);
        assertTrue(problems.stream().anyMatch(p -> p.kind() == Kind.UNKNOWN_PORT && p.message().contains("'nope'")
                && p.message().contains("outputs: out")), problems::toString);
        Problem unconnected = only(graph(List.of(node("a", "test.add"))));
        assertNames(unconnected, Kind.UNCONNECTED_INPUT, "'in'", "'a'");
    }

    @Test
    void parametersAreCheckedAgainstTheSchema() {
        assertNames(only(graph(List.of(node("s", "test.source")))), Kind.MISSING_PARAMETER, "'s'", "'count'");
        assertNames(only(graph(List.of(node("s", "test.source", "count", 5000L)))), Kind.PARAMETER_OUT_OF_RANGE,
                "'s'", "'count'", "5000", "[1, 1000]");
        assertNames(only(graph(List.of(node("s", "test.source", "count", 2.5)))), Kind.INVALID_PARAMETER,
                "'count'", "whole number");
        assertNames(only(graph(List.of(node("s", "test.source", "count", 2L, "colour", "red")))),
                Kind.UNKNOWN_PARAMETER, "'colour'", "count");
        Graph badEnum = graph(List.of(node("s", "test.source", "count", 2L), node("a", "test.add", "mode", "triple")),
                edge("s.out", "a.in"));
        assertNames(only(badEnum), Kind.INVALID_PARAMETER, "'mode'", "triple", "plain");
    }

    @Test
    void unreadableAndUnwritableFilesAreNamed() throws Exception {
        assertNames(only(graph(List.of(node("r", "test.reader", "file", "missing/numbers.txt")))),
                Kind.UNREADABLE_FILE, "'r'", "'file'", "missing/numbers.txt", "does not exist");
        Path blocker = Files.writeString(dir.resolve("plain-file"), "x");
        Graph g = graph(List.of(node("s", "test.source", "count", 1L),
                node("k", "test.sink", "output", blocker.resolve("out.txt").toString())), edge("s.out", "k.in"));
        assertNames(only(g), Kind.UNREADABLE_FILE, "'k'", "'output'", "plain-file");
    }

    @Test
    void duplicateIdsAndDoubleInputs() {
        List<Problem> problems = engine.validate(graph(List.of(node("s", "test.source", "count", 1L),
                node("s", "test.source", "count", 2L))), dir);
        assertTrue(problems.stream().anyMatch(p -> p.kind() == Kind.DUPLICATE_NODE_ID), problems::toString);
        Graph twice = graph(List.of(node("s", "test.source", "count", 1L), node("t", "test.source", "count", 1L),
                node("a", "test.add")), edge("s.out", "a.in"), edge("t.out", "a.in"));
        assertNames(only(twice), Kind.DUPLICATE_INPUT, "'in'", "'a'");
    }

    @Test
    void jsonRoundTripsAndAtomicWrite() throws Exception {
        Graph g = graph(List.of(node("src", "test.source", "count", 3L).at(10, 20),
                node("add", "test.add", "delta", 2.5, "mode", "double")), edge("src.out", "add.in"));
        Graph back = engine.parse(engine.toJson(g), null);
        assertEquals(g, back);
        Path file = dir.resolve("g.json");
        engine.write(g, file);
        Graph read = engine.read(file);
        assertEquals("org.portraitgen.pipeline.tests", read.node("src").orElseThrow().provider());
        assertEquals(g.edges(), read.edges());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temp file is left beside the graph");
        }
    }

    @Test
    void malformedDocumentsSayWhere() {
        var e1 = assertThrows(GraphFormatException.class, () -> engine.parse("{\"schemaVersion\":1,", null));
        assertTrue(e1.getMessage().contains("line 1"), e1.getMessage());
        var e2 = assertThrows(GraphFormatException.class, () -> engine.parse("{\"schemaVersion\":99,\"nodes\":[]}",
                Path.of("future.json")));
        assertTrue(e2.getMessage().contains("future.json") && e2.getMessage().contains("99"), e2.getMessage());
        var e3 = assertThrows(GraphFormatException.class, () -> engine.parse(
                "{\"schemaVersion\":1,\"nodes\":[{\"id\":\"a\",\"type\":\"t\"}],\"edges\":[{\"from\":\"a\",\"to\":\"b.in\"}]}",
                null));
        assertTrue(e3.getMessage().contains("edges[0].from"), e3.getMessage());
        var e4 = assertThrows(GraphFormatException.class, () -> engine.read(Path.of("/no/such/graph.json")));
        assertTrue(e4.getMessage().contains("/no/such/graph.json"), e4.getMessage());
    }

    @Test
    void paletteFollowsServices() throws Exception {
        assertTrue(engine.nodeType("test.add").isPresent());
        unregisterAll();
        assertFalse(engine.nodeType("test.add").isPresent());
    }
}
