package org.portraitgen.pipeline.internal;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.graph.GraphEdge;
import org.portraitgen.api.graph.GraphNode;
import org.portraitgen.api.graph.Problem;
import org.portraitgen.api.graph.Problem.Kind;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.PortSpec;

/** Finds every problem of a graph against the providers registered now; each names its node, port or parameter. */
public final class GraphValidator {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]+");

    private final ProviderRegistry registry;

    public GraphValidator(ProviderRegistry registry) {
        this.registry = registry;
    }

    public List<Problem> validate(Graph graph, Confinement confinement) {
        List<Problem> problems = new ArrayList<>();
        Map<String, NodeDescriptor> types = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (GraphNode node : graph.nodes()) {
            if (!NODE_ID.matcher(node.id()).matches()) {
                problems.add(new Problem(Kind.MALFORMED_DOCUMENT, node.id(), null, "node id '" + node.id()
                        + "' may only contain letters, digits, '_' and '-'"));
            }
            if (!seen.add(node.id())) {
                problems.add(new Problem(Kind.DUPLICATE_NODE_ID, node.id(), null,
                        "node id '" + node.id() + "' is used more than once"));
                continue;
            }
            Optional<ProviderRegistry.Entry> entry = registry.find(node.type());
            if (entry.isEmpty()) {
                problems.add(missingType(node));
                continue;
            }
            NodeDescriptor type = entry.get().descriptor();
            types.put(node.id(), type);
            ParameterChecks.check(node, type, confinement, problems);
        }
        checkEdges(graph, types, problems);
        findCycle(graph).ifPresent(cycle -> problems.add(new Problem(Kind.CYCLE, cycle.get(0), null,
                "the graph has a cycle: " + String.join(" -> ", cycle) + " -> " + cycle.get(0))));
        return problems;
    }

    private Problem missingType(GraphNode node) {
        Optional<String> bundle = Optional.ofNullable(node.provider()).or(() -> registry.departedBundle(node.type()));
        if (bundle.isPresent()) {
            return new Problem(Kind.MISSING_PROVIDER, node.id(), null, "node '" + node.id() + "' has type '"
                    + node.type() + "', whose provider bundle '" + bundle.get()
                    + "' is not installed or not active; install it (dropins/ or 'portraitgen bundles install')");
        }
        String suggestion = registry.all().stream().map(e -> e.descriptor().type())
                .min(Comparator.comparingInt(t -> editDistance(t, node.type())))
                .filter(t -> editDistance(t, node.type()) <= 3).map(t -> "; did you mean '" + t + "'?")
                .orElse("; 'portraitgen nodes' lists the available types");
        return new Problem(Kind.UNKNOWN_NODE_TYPE, node.id(), null,
                "node '" + node.id() + "' has unknown type '" + node.type() + "'" + suggestion);
    }

    private static void checkEdges(Graph graph, Map<String, NodeDescriptor> types, List<Problem> problems) {
        Set<String> nodeIds = new HashSet<>();
        graph.nodes().forEach(n -> nodeIds.add(n.id()));
        Map<String, GraphEdge> inputsTaken = new HashMap<>();
        for (GraphEdge e : graph.edges()) {
            if (!nodeIds.contains(e.fromNode()) || !nodeIds.contains(e.toNode())) {
                String missing = nodeIds.contains(e.fromNode()) ? e.toNode() : e.fromNode();
                problems.add(new Problem(Kind.UNKNOWN_PORT, missing, null,
                        "edge " + e + " refers to node '" + missing + "', which is not in the graph"));
                continue;
            }
            NodeDescriptor from = types.get(e.fromNode());
            NodeDescriptor to = types.get(e.toNode());
            Optional<PortSpec> out = from == null ? Optional.empty() : from.output(e.fromPort());
            Optional<PortSpec> in = to == null ? Optional.empty() : to.input(e.toPort());
            if (from != null && out.isEmpty()) {
                problems.add(new Problem(Kind.UNKNOWN_PORT, e.fromNode(), e.fromPort(), "node '" + e.fromNode()
                        + "' (" + from.type() + ") has no output port '" + e.fromPort() + "'; outputs: "
                        + portNames(from.outputs())));
            }
            if (to != null && in.isEmpty()) {
                problems.add(new Problem(Kind.UNKNOWN_PORT, e.toNode(), e.toPort(), "node '" + e.toNode() + "' ("
                        + to.type() + ") has no input port '" + e.toPort() + "'; inputs: "
                        + portNames(to.inputs())));
            }
            if (out.isPresent() && in.isPresent() && !in.get().type().accepts(out.get().type())) {
                problems.add(new Problem(Kind.PORT_TYPE_MISMATCH, e.toNode(), e.toPort(), "edge " + e
                        + " connects " + out.get().type() + " to input '" + e.toPort() + "' of node '" + e.toNode()
                        + "', which takes " + in.get().type()));
            }
            GraphEdge previous = inputsTaken.putIfAbsent(e.toNode() + "." + e.toPort(), e);
            if (previous != null) {
                problems.add(new Problem(Kind.DUPLICATE_INPUT, e.toNode(), e.toPort(), "input '" + e.toPort()
                        + "' of node '" + e.toNode() + "' is connected twice (" + previous + " and " + e + ")"));
            }
        }
        for (GraphNode node : graph.nodes()) {
            NodeDescriptor type = types.get(node.id());
            if (type == null) {
                continue;
            }
            for (PortSpec in : type.inputs()) {
                if (!in.optional() && !inputsTaken.containsKey(node.id() + "." + in.name())) {
                    problems.add(new Problem(Kind.UNCONNECTED_INPUT, node.id(), in.name(), "input '" + in.name()
                            + "' (" + in.type() + ") of node '" + node.id() + "' is not connected"));
                }
            }
        }
    }

    private static String portNames(List<PortSpec> ports) {
        return ports.isEmpty() ? "none" : String.join(", ", ports.stream().map(PortSpec::name).toList());
    }

    /** Topological order of the node ids, or empty when the graph has a cycle. */
    public static Optional<List<String>> topologicalOrder(Graph graph) {
        Map<String, Integer> indegree = new LinkedHashMap<>();
        graph.nodes().forEach(n -> indegree.put(n.id(), 0));
        for (GraphEdge e : graph.edges()) {
            if (indegree.containsKey(e.fromNode()) && indegree.containsKey(e.toNode())) {
                indegree.merge(e.toNode(), 1, Integer::sum);
            }
        }
        Deque<String> ready = new ArrayDeque<>();
        indegree.forEach((id, d) -> {
            if (d == 0) {
                ready.add(id);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(id);
            for (GraphEdge e : graph.outgoing(id)) {
                if (indegree.containsKey(e.toNode()) && indegree.merge(e.toNode(), -1, Integer::sum) == 0) {
                    ready.add(e.toNode());
                }
            }
        }
        return order.size() == indegree.size() ? Optional.of(order) : Optional.empty();
    }

    /** One cycle of the graph, as node ids in edge order, if there is any. */
    static Optional<List<String>> findCycle(Graph graph) {
        if (topologicalOrder(graph).isPresent()) {
            return Optional.empty();
        }
        Map<String, Integer> state = new HashMap<>();
        for (GraphNode start : graph.nodes()) {
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = dfs(graph, start.id(), state, path);
            if (cycle != null) {
                return Optional.of(cycle);
            }
        }
        return Optional.empty();
    }

    private static List<String> dfs(Graph graph, String id, Map<String, Integer> state, Deque<String> path) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String p : (Iterable<String>) path::descendingIterator) {
                in |= p.equals(id);
                if (in) {
                    cycle.add(p);
                }
            }
            return cycle;
        }
        state.put(id, 1);
        path.push(id);
        for (GraphEdge e : graph.outgoing(id)) {
            List<String> c = dfs(graph, e.toNode(), state, path);
            if (c != null) {
                return c;
            }
        }
        path.pop();
        state.put(id, 2);
        return null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
