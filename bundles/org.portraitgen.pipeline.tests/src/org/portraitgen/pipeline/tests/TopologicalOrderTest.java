package org.portraitgen.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.pipeline.internal.GraphValidator;

class TopologicalOrderTest {

    @Test
    void ordersDependenciesFirstAndDetectsCycles() {
        Graph diamond = PipelineTestSupport.graph(List.of(PipelineTestSupport.node("d", "x"),
                PipelineTestSupport.node("b", "x"), PipelineTestSupport.node("c", "x"),
                PipelineTestSupport.node("a", "x")), PipelineTestSupport.edge("a.o", "b.i"),
                PipelineTestSupport.edge("a.o", "c.i"), PipelineTestSupport.edge("b.o", "d.i"),
                PipelineTestSupport.edge("c.o", "d.j"));
        List<String> order = GraphValidator.topologicalOrder(diamond).orElseThrow();
        assertEquals("a", order.get(0));
        assertEquals("d", order.get(3));
        Graph loop = PipelineTestSupport.graph(List.of(PipelineTestSupport.node("a", "x"),
                PipelineTestSupport.node("b", "x")), PipelineTestSupport.edge("a.o", "b.i"),
                PipelineTestSupport.edge("b.o", "a.i"));
        assertTrue(GraphValidator.topologicalOrder(loop).isEmpty());
    }
}
