package org.portraitgen.testfixtures.faults.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;

/**
 * A chainable step for scheduler tests: appends its label to its input text, logs where it ran (host, GPU) and can
 * fail, or work slowly with checkpoints so that it can be killed and resumed.
 */
abstract class StepNode implements NodeProvider {

    static final PortType TEXT = new PortType("text", "UTF-8 text");
    private static final int SLOW_STEPS = 40;

    abstract String type();

    abstract ResourceNeeds resources();

    @Override
    public NodeDescriptor descriptor() {
        return new NodeDescriptor(type(), type(), "Test fixtures", "appends its label to the text", "1",
                List.of(new PortSpec("in", TEXT, "text so far", true)), List.of(PortSpec.of("out", TEXT, "text")),
                List.of(ParameterSpec.choice("mode", "behaviour", "ok", List.of("ok", "fail", "slow")),
                        ParameterSpec.text("label", "appended to the text (part of the cache key, unlike the id)",
                                "step")),
                resources());
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        context.log("running on " + System.getenv().getOrDefault("SLURMD_NODENAME", "local") + " with GPUs '"
                + System.getenv().getOrDefault("CUDA_VISIBLE_DEVICES", "") + "'");
        String mode = context.parameters().string("mode");
        if (mode.equals("fail")) {
            throw new NodeException("step '" + context.nodeId() + "' was told to fail");
        }
        if (mode.equals("slow")) {
            Path mark = context.checkpoints().resolve("step");
            int start = Files.exists(mark) ? Integer.parseInt(Files.readString(mark).trim()) : 0;
            context.log("resuming at step " + start);
            for (int i = start; i < SLOW_STEPS; i++) {
                context.checkCancelled();
                Thread.sleep(250);
                Files.writeString(mark, Integer.toString(i + 1));
                context.progress((i + 1.0) / SLOW_STEPS, "step " + (i + 1));
            }
        }
        String before = context.input("in").isPresent()
                ? Files.readString(context.input("in").get().resolve("text.txt")) : "";
        Files.writeString(context.output("out").resolve("text.txt"), before + context.parameters().string("label")
                + "\n");
    }
}
