package org.portraitgen.video.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.api.video.VideoProbe;
import org.portraitgen.testing.RecordingNodeContext;
import org.portraitgen.testing.TestData;

/** {@code video.decode} and {@code video.encode} as registered services, run with a pipeline-like context. */
class NodesTest {

    @TempDir
    static Path work;

    static VideoIO io;
    static NodeProvider decode;
    static NodeProvider encode;
    /** The output of one decode-node run (4 frames of d0.mp4 at 64x64), input of the encode tests. */
    static Path decoded;

    @BeforeAll
    static void setUp() throws Exception {
        io = TestData.service(VideoIO.class, null);
        decode = TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=video.decode)");
        encode = TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=video.encode)");
        RecordingNodeContext ctx = new RecordingNodeContext("dec", work).param("file", TestData.video("d0.mp4").toString())
                .param("max_frames", 4).param("width", 64);
        decode.execute(ctx);
        decoded = ctx.output("frames");
        assertEquals(1.0, ctx.progress.get(ctx.progress.size() - 1), 1e-9);
    }

    @Test
    void nodeTypesAreRegisteredUnderTheirTypeProperty() throws Exception {
        BundleContext bc = FrameworkUtil.getBundle(NodesTest.class).getBundleContext();
        for (String type : new String[] { "video.decode", "video.encode", "video.color" }) {
            Collection<ServiceReference<NodeProvider>> refs = bc.getServiceReferences(NodeProvider.class,
                    "(" + NodeProvider.TYPE_PROPERTY + "=" + type + ")");
            assertEquals(1, refs.size(), type);
            NodeProvider p = bc.getService(refs.iterator().next());
            try {
                NodeDescriptor d = p.descriptor();
                assertEquals(type, d.type());
                assertFalse(d.version().isBlank(), "version feeds the cache keys");
            } finally {
                bc.ungetService(refs.iterator().next());
            }
        }
        assertEquals(PortType.FRAMES, decode.descriptor().output("frames").orElseThrow().type());
        assertEquals(PortType.VIDEO, encode.descriptor().output("video").orElseThrow().type());
        assertTrue(decode.descriptor().parameter("file").orElseThrow().required());
        assertEquals(java.util.List.of("none", "center-square"),
                decode.descriptor().parameter("crop").orElseThrow().choices());
    }

    @Test
    void decodeNodeWritesAFrameStoreToItsPort() throws Exception {
        FrameStore store = io.open(decoded);
        assertEquals(4, store.info().frameCount());
        assertEquals(64, store.info().width());
        assertEquals(64, store.info().height());
    }

    @Test
    void decodeNodeNamesNodeParameterAndFile() {
        RecordingNodeContext missing = new RecordingNodeContext("dec2", work).param("file", "/nowhere/clip.mp4");
        NodeException e = assertThrows(NodeException.class, () -> decode.execute(missing));
        assertTrue(e.getMessage().contains("dec2") && e.getMessage().contains("parameter 'file'")
                && e.getMessage().contains("/nowhere/clip.mp4") && e.getMessage().contains("does not exist"),
                e.getMessage());

        RecordingNodeContext none = new RecordingNodeContext("dec3", work);
        e = assertThrows(NodeException.class, () -> decode.execute(none));
        assertTrue(e.getMessage().contains("parameter 'file': is required"), e.getMessage());

        RecordingNodeContext crop = new RecordingNodeContext("dec4", work).param("file", TestData.video("d0.mp4").toString())
                .param("crop", "circle");
        e = assertThrows(NodeException.class, () -> decode.execute(crop));
        assertTrue(e.getMessage().contains("parameter 'crop'"), e.getMessage());
    }

    @Test
    void encodeNodeCachesTheMp4AndPublishesItAtomically() throws Exception {
        Path target = work.resolve("deliver").resolve("final.mp4");
        RecordingNodeContext ctx = new RecordingNodeContext("enc", work).input("frames", decoded)
                .param("output", target.toString());
        encode.execute(ctx);
        Path cached = ctx.output("video").resolve("video.mp4");
        assertTrue(Files.isRegularFile(cached), "the port value holds the encoded file");
        assertFalse(Files.exists(target), "execute only fills the cache");

        encode.publish(ctx);
        VideoProbe p = io.probe(target);
        assertEquals(64, p.width());
        assertEquals(4, p.frameCount());
        encode.publish(ctx); // a cached run publishes again over the earlier file
        assertEquals(Files.size(cached), Files.size(target));
        assertEquals(1, Stores.entries(target.getParent()), "no temp file beside the published one");
    }

    @Test
    void encodeNodeWritesAndPublishesPngSequences() throws Exception {
        Path target = work.resolve("png-out");
        RecordingNodeContext ctx = new RecordingNodeContext("png", work).input("frames", decoded)
                .param("output", target.toString()).param("format", "png");
        encode.execute(ctx);
        encode.publish(ctx);
        assertEquals(4, Stores.entries(target));
        encode.publish(ctx); // replaces its own earlier sequence
        assertEquals(4, Stores.entries(target));

        Path foreign = Files.createDirectories(work.resolve("photos"));
        Files.writeString(foreign.resolve("holiday.txt"), "keep me");
        RecordingNodeContext other = new RecordingNodeContext("png2", work).input("frames", decoded)
                .param("output", foreign.toString()).param("format", "png");
        encode.execute(other);
        NodeException e = assertThrows(NodeException.class, () -> encode.publish(other));
        assertTrue(e.getMessage().contains("png2") && e.getMessage().contains("'output'"), e.getMessage());
        assertTrue(Files.exists(foreign.resolve("holiday.txt")), "someone else's folder is left alone");
    }

    @Test
    void encodeNodeChecksOutputAgainstFormatBeforeWorking() {
        RecordingNodeContext ctx = new RecordingNodeContext("enc3", work).input("frames", decoded)
                .param("output", work.resolve("movie").toString());
        NodeException e = assertThrows(NodeException.class, () -> encode.execute(ctx));
        assertTrue(e.getMessage().contains("enc3") && e.getMessage().contains("parameter 'output'")
                && e.getMessage().contains(".mp4"), e.getMessage());

        RecordingNodeContext png = new RecordingNodeContext("enc4", work).input("frames", decoded)
                .param("output", work.resolve("x.mp4").toString()).param("format", "png");
        assertThrows(NodeException.class, () -> encode.execute(png));
    }
}
