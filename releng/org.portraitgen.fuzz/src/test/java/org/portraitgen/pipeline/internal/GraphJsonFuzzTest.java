package org.portraitgen.pipeline.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphFormatException;
import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Graph documents: {@link GraphJson#parse} fails only with GraphFormatException, and what it reads writes back. */
class GraphJsonFuzzTest {

    private static final Path ORIGIN = Path.of("fuzz", "graph.json");

    @FuzzTest
    void parse(byte[] data) throws GraphFormatException {
        FuzzSupport.count("GraphJson");
        Graph graph;
        try {
            graph = GraphJson.parse(new String(data, StandardCharsets.UTF_8), ORIGIN);
        } catch (GraphFormatException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("GraphFormatException without a message", e);
            }
            return;
        }
        // a graph that was read must survive a save and a reload (the workbench does exactly that)
        GraphJson.parse(GraphJson.write(graph), ORIGIN);
    }
}
