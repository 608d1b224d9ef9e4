package org.portraitgen.testfixtures.faults.internal;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;

/**
 * Misbehaves on request, so that tests can check that a crashing, hanging or memory-hungry node fails its run and
 * nothing else. Never part of the product: tests drop this bundle into a dropins folder.
 */
@Component(property = NodeProvider.TYPE_PROPERTY + "=fault.inject")
public class FaultNode implements NodeProvider {

    @Override
    public NodeDescriptor descriptor() {
        return new NodeDescriptor("fault.inject", "Fault", "Test fixtures", "crashes, hangs or exhausts memory", "1",
                List.of(), List.of(PortSpec.of("out", new PortType("text", "UTF-8 text"), "a note")),
                List.of(ParameterSpec.choice("mode", "what to do", "ok", List.of("ok", "crash", "hang", "oom"))),
                null);
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        switch (context.parameters().string("mode")) {
            case "crash" -> crashInNativeCode();
            case "hang" -> {
                while (true) {
                    Thread.sleep(1000); // ignores cancellation, as a stuck native call would
                }
            }
            case "oom" -> {
                List<long[]> hoard = new ArrayList<>();
                while (true) {
                    hoard.add(new long[1 << 24]);
                }
            }
            default -> Files.writeString(context.output("out").resolve("note.txt"), "fine\n");
        }
    }

    /** A write to address 0 is a segmentation fault in the JVM process, like a crash in a native library. */
    private static void crashInNativeCode() throws Exception {
        Class<?> unsafeClass = ClassLoader.getSystemClassLoader().loadClass("sun.misc.Unsafe");
        Field f = unsafeClass.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        unsafeClass.getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 0L);
    }
}
