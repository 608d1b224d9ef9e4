package org.portraitgen.workbench.internal.graph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.graph.GraphNode;

/**
 * Places nodes that a hand-written graph left without positions (they all read as 0,0 and would hide each other):
 * one column per depth from the sources, so edges run left to right. A long chain folds into bands of columns
 * stacked top to bottom (like lines of text), so that the whole graph fits a part at a readable zoom instead of
 * one thin strip. Graphs whose nodes have distinct positions are returned unchanged.
 */
public final class AutoLayout {
    private static final int COLUMN = 250;
    private static final int ROW = 150;
    private static final int MARGIN = 40;

    private AutoLayout() {
    }

    public static Graph spreadStacked(Graph graph) {
        Set<String> seen = new HashSet<>();
        boolean stacked = graph.nodes().stream().anyMatch(n -> !seen.add(n.x() + "," + n.y()));
        if (!stacked) {
            return graph;
        }
        Map<String, Integer> depth = new HashMap<>();
        graph.nodes().forEach(n -> depth(graph, n.id(), depth, new HashSet<>()));
        int depths = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        // about as wide as high: a band of c columns is c * COLUMN wide, and depths / c bands tall
        int perBand = Math.max(3, (int) Math.ceil(Math.sqrt(depths * 1.5)));
        Map<Integer, Integer> rowsUsed = new HashMap<>();
        graph.nodes().forEach(n -> rowsUsed.merge(depth.get(n.id()), 1, Integer::sum));
        int[] bandTop = new int[(depths + perBand - 1) / perBand + 1];
        for (int b = 1; b < bandTop.length; b++) {
            int rows = 0;
            for (int d = (b - 1) * perBand; d < Math.min(depths, b * perBand); d++) {
                rows = Math.max(rows, rowsUsed.getOrDefault(d, 0));
            }
            bandTop[b] = bandTop[b - 1] + rows * ROW + ROW / 2;
        }
        rowsUsed.clear();
        List<GraphNode> placed = graph.nodes().stream().map(n -> {
            int d = depth.get(n.id());
            int row = rowsUsed.merge(d, 1, Integer::sum) - 1;
            return n.at(MARGIN + d % perBand * COLUMN, MARGIN + bandTop[d / perBand] + row * ROW);
        }).toList();
        return new Graph(graph.schemaVersion(), graph.name(), placed, graph.edges());
    }

    /** Longest path from a source; a cycle (invalid anyway) is cut where it closes. */
    private static int depth(Graph g, String id, Map<String, Integer> memo, Set<String> path) {
        Integer known = memo.get(id);
        if (known != null) {
            return known;
        }
        if (!path.add(id)) {
            return 0;
        }
        int d = 0;
        for (GraphEdge e : g.incoming(id)) {
            d = Math.max(d, depth(g, e.fromNode(), memo, path) + 1);
        }
        path.remove(id);
        memo.put(id, d);
        return d;
    }
}
