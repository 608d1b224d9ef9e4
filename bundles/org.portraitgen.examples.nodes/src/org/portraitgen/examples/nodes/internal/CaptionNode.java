package org.portraitgen.examples.nodes.internal;

import java.nio.file.Files;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;

/**
 * The smallest useful node bundle: writes a caption text for a clip. It exists to show third parties how a node
 * type is contributed, and it is what the hot-install tests copy into {@code dropins/}.
 */
@Component(property = NodeProvider.TYPE_PROPERTY + "=example.caption")
public class CaptionNode implements NodeProvider {

    static final PortType TEXT = new PortType("text", "UTF-8 text");

    @Override
    public NodeDescriptor descriptor() {
        return new NodeDescriptor("example.caption", "Caption", "Examples", "Writes a caption text, repeated.", "1",
                List.of(), List.of(PortSpec.of("caption", TEXT, "caption.txt")),
                List.of(ParameterSpec.text("text", "the caption", "PortraitGen"),
                        ParameterSpec.integer("repeat", "how many lines", 1, 1, 100)),
                null);
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        String text = context.parameters().string("text");
        int repeat = context.parameters().integer("repeat");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < repeat; i++) {
            context.checkCancelled();
            sb.append(text).append('\n');
            context.progress((i + 1.0) / repeat, "line " + (i + 1));
        }
        Files.writeString(context.output("caption").resolve("caption.txt"), sb.toString());
    }
}
