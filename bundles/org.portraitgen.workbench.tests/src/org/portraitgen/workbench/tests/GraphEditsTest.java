package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.workbench.internal.graph.GraphEdits;
import org.portraitgen.workbench.internal.model.GraphDocument;

/** The editor's graph operations and command stack, without widgets. */
class GraphEditsTest {
    private static final Map<String, NodeDescriptor> TYPES = Map.of(
            "test.frames", new TestNodes.Frames().descriptor(), "test.grade", new TestNodes.Grade().descriptor(),
            "test.masksink", new TestNodes.MaskSink().descriptor());

    private static Optional<NodeDescriptor> type(String t) {
        return Optional.ofNullable(TYPES.get(t));
    }

    private static Graph three() {
        return new Graph(1, "t", List.of(new GraphNode("src", "test.frames", Map.of()),
                new GraphNode("grade", "test.grade", Map.of()), new GraphNode("sink", "test.masksink", Map.of())),
                List.of());
    }

    @Test
    void compatiblePortsConnectAndReplaceTheInputsEdge() {
        GraphEdits.Connection c = GraphEdits.connect(three(), GraphEditsTest::type, "src", "frames", "grade",
                "frames");
        assertTrue(c.accepted(), c.refusal());
        Graph g = GraphEdits.addNode(c.graph(), new GraphNode("src2", "test.frames", Map.of()));
        Graph again = GraphEdits.connect(g, GraphEditsTest::type, "src2", "frames", "grade", "frames").graph();
        assertEquals(1, again.incoming("grade").size());
        assertEquals("src2", again.incoming("grade").get(0).fromNode());
    }

    @Test
    void mismatchedTypesAndCyclesAreRefusedWithTheReason() {
        GraphEdits.Connection bad = GraphEdits.connect(three(), GraphEditsTest::type, "src", "frames", "sink",
                "masks");
        assertFalse(bad.accepted());
        assertTrue(bad.refusal().contains("gives frames") && bad.refusal().contains("takes masks"), bad.refusal());
        Graph g = GraphEdits.addNode(three(), new GraphNode("grade2", "test.grade", Map.of()));
        g = GraphEdits.connect(g, GraphEditsTest::type, "grade", "graded", "grade2", "frames").graph();
        GraphEdits.Connection cycle = GraphEdits.connect(g, GraphEditsTest::type, "grade2", "graded", "grade",
                "frames");
        assertTrue(cycle.refusal().contains("cycle"), cycle.refusal());
    }

    @Test
    void graphsWithoutPositionsAreLaidOutLeftToRight() {
        Graph g = GraphEdits.connect(three(), GraphEditsTest::type, "src", "frames", "grade", "frames").graph();
        Graph laid = org.portraitgen.workbench.internal.graph.AutoLayout.spreadStacked(g);
        assertTrue(laid.node("grade").get().x() > laid.node("src").get().x());
        assertEquals(laid.node("src").get().x(), laid.node("sink").get().x(), "both sources in the first column");
        assertTrue(laid.node("sink").get().y() != laid.node("src").get().y());
        assertEquals(laid, org.portraitgen.workbench.internal.graph.AutoLayout.spreadStacked(laid));
    }

    @Test
    void aLongChainFoldsIntoBandsOfColumns() {
        Graph g = GraphEdits.addNode(three(), new GraphNode("g2", "test.grade", Map.of()));
        g = GraphEdits.connect(g, GraphEditsTest::type, "src", "frames", "grade", "frames").graph();
        g = GraphEdits.connect(g, GraphEditsTest::type, "grade", "graded", "g2", "frames").graph();
        for (int i = 3; i <= 6; i++) { // a chain of seven: depths 0..6
            g = GraphEdits.addNode(g, new GraphNode("g" + i, "test.grade", Map.of()));
            g = GraphEdits.connect(g, GraphEditsTest::type, "g" + (i - 1), "graded", "g" + i, "frames").graph();
        }
        Graph laid = org.portraitgen.workbench.internal.graph.AutoLayout.spreadStacked(g);
        // seven depths (sources at 0, g6 at 6): ceil(sqrt(10.5)) = 4 columns per band, so g4 starts the second
        assertEquals(laid.node("src").get().x(), laid.node("g4").get().x(), "depth 4 wraps to the first column");
        assertTrue(laid.node("g4").get().y() > laid.node("sink").get().y(), "below every node of the first band");
        assertTrue(laid.node("g2").get().x() > laid.node("grade").get().x());
        assertEquals(laid.node("g2").get().y(), laid.node("grade").get().y(), "one band shares its first row");
    }

    @Test
    void newIdsAreReadableAndUnique() {
        assertEquals("frames", GraphEdits.newId(three(), "test.frames"));
        assertEquals("grade2", GraphEdits.newId(three(), "test.grade"));
        assertEquals(NodeProvider.TYPE_PROPERTY, "portraitgen.node.type"); // the palette relies on this property
    }

    @Test
    void undoAndRedoSwapWholeSnapshots() {
        GraphDocument doc = new GraphDocument();
        doc.apply("add", GraphEdits.addNode(doc.graph(), new GraphNode("a", "test.frames", Map.of())));
        doc.apply("add", GraphEdits.addNode(doc.graph(), new GraphNode("b", "test.frames", Map.of())));
        assertTrue(doc.dirty());
        assertTrue(doc.undo());
        assertEquals(1, doc.graph().nodes().size());
        assertTrue(doc.redo());
        assertEquals(2, doc.graph().nodes().size());
        doc.undo();
        doc.undo();
        assertFalse(doc.dirty(), "back at the loaded graph");
        assertFalse(doc.canUndo());
    }
}
