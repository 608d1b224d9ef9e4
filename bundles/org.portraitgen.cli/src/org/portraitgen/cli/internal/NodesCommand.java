package org.portraitgen.cli.internal;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "nodes", description = "List the node types installed now: the palette, with ports and parameters.")
public final class NodesCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Option(names = "--brief", description = "one line per node type")
    boolean brief;

    public NodesCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        List<NodeDescriptor> types = env.engine().nodeTypes();
        String category = null;
        for (NodeDescriptor d : types) {
            if (!d.category().equals(category)) {
                category = d.category();
                env.out().println(category + ":");
            }
            env.out().printf("  %-18s %s  (in: %s; out: %s)%n", d.type(), d.label(), ports(d.inputs()),
                    ports(d.outputs()));
            if (!brief) {
                if (!d.description().isEmpty()) {
                    env.out().println("      " + d.description());
                }
                for (ParameterSpec p : d.parameters()) {
                    env.out().printf("      --set NODE.%s=%s  %s%s%n", p.name(), kind(p), p.description(),
                            p.defaultValue() == null ? " (required)" : " (default " + p.defaultValue() + ")");
                }
            }
        }
        if (types.isEmpty()) {
            env.out().println("no node types are installed");
        }
        return Cli.OK;
    }

    private static String ports(List<PortSpec> ports) {
        return ports.isEmpty() ? "-" : ports.stream().map(p -> p.name() + ":" + p.type().id())
                .collect(Collectors.joining(", "));
    }

    private static String kind(ParameterSpec p) {
        return switch (p.kind()) {
            case ENUM -> String.join("|", p.choices());
            case INTEGER, NUMBER -> p.kind().name().toLowerCase() + (p.min() == null ? "" : " in [" + num(p.min())
                    + ", " + num(p.max()) + "]");
            default -> p.kind().name().toLowerCase().replace('_', '-');
        };
    }

    private static String num(Double d) {
        return d == null ? "" : d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }
}
