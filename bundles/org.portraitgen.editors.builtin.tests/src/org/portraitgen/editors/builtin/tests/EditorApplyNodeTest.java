package org.portraitgen.editors.builtin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;

/** The per-frame editor node on real frame stores, through the services the pipeline would use. */
class EditorApplyNodeTest {

    private static final int W = 33;
    private static final int H = 25;
    private static final int FRAMES = 3;

    @TempDir
    Path dir;

    private static <S> S service(Class<S> type, String filter) throws Exception {
        BundleContext ctx = FrameworkUtil.getBundle(EditorApplyNodeTest.class).getBundleContext();
        String f = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<S, S> tracker = new ServiceTracker<>(ctx, ctx.createFilter(f), null);
        tracker.open();
        S s = tracker.waitForService(20_000);
        if (s == null) {
            throw new AssertionError("no service " + f);
        }
        return s;
    }

    private static NodeProvider node() throws Exception {
        return service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=editor.apply)");
    }

    private Path store(String name, int channels, int w, int h) throws Exception {
        VideoIO io = service(VideoIO.class, null);
        Path d = dir.resolve(name);
        try (FrameStoreWriter writer = io.create(d, w, h, channels, 25)) {
            for (int i = 0; i < FRAMES; i++) {
                writer.append(channels == 3 ? TestImages.portrait(w, h, i) : TestImages.rightHalf(w, h), i * 40_000L);
            }
            writer.finish();
        }
        return d;
    }

    @Test
    void editsEveryFrameInsideTheMasksOnly() throws Exception {
        Path frames = store("frames", 3, W, H);
        FakeNodeContext ctx = new FakeNodeContext(dir).param("editor", "builtin.pixelart")
                .input("frames", frames).input("masks", store("masks", 1, W, H));
        node().execute(ctx);
        VideoIO io = service(VideoIO.class, null);
        FrameStore in = io.open(frames);
        FrameStore out = io.open(ctx.output("frames"));
        assertEquals(FRAMES, out.info().frameCount());
        assertEquals(in.info().timestampsUs(), out.info().timestampsUs());
        for (int i = 0; i < FRAMES; i++) {
            FloatImage a = in.read(i);
            FloatImage b = out.read(i);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < H; y++) {
                    assertEquals(a.get(c, 3, y), b.get(c, 3, y), 0f, "unmasked pixel changed in frame " + i);
                }
            }
            assertNotEquals(a, b, "frame " + i + " was not edited");
        }
    }

    @Test
    void anAbsentEditorIsNamed() throws Exception {
        FakeNodeContext ctx = new FakeNodeContext(dir).param("editor", "builtin.nope")
                .input("frames", store("frames", 3, W, H));
        NodeException e = assertThrows(NodeException.class, () -> node().execute(ctx));
        assertTrue(e.getMessage().contains("editor 'builtin.nope' is not installed"), e.getMessage());
        assertTrue(e.getMessage().contains("builtin.cartoon"), "the message lists what is installed");
        assertFalse(Files.exists(ctx.output("frames").resolve("frames.json")), "nothing may be half-written");
    }

    /** As a bundle installed from dropins would: an editor registered at run time is used, and gone once removed. */
    @Test
    void findsEditorsThatComeAndGoAtRunTime() throws Exception {
        Path frames = store("frames", 3, W, H);
        BundleContext ctx = FrameworkUtil.getBundle(getClass()).getBundleContext();
        ServiceRegistration<EditorProvider> reg = ctx.registerService(EditorProvider.class, new InvertEditor(),
                new Hashtable<>(Map.of(EditorProvider.ID_PROPERTY, InvertEditor.ID)));
        FakeNodeContext first = new FakeNodeContext(dir.resolve("a")).param("editor", InvertEditor.ID)
                .input("frames", frames);
        node().execute(first);
        VideoIO io = service(VideoIO.class, null);
        float before = io.open(frames).read(0).get(0, 1, 1);
        assertEquals(1 - before, io.open(first.output("frames")).read(0).get(0, 1, 1), 1 / 255f);
        reg.unregister();
        NodeException gone = assertThrows(NodeException.class, () -> node().execute(
                new FakeNodeContext(dir.resolve("b")).param("editor", InvertEditor.ID).input("frames", frames)));
        assertTrue(gone.getMessage().contains("'" + InvertEditor.ID + "' is not installed"), gone.getMessage());
    }

    /**
     * A run that dies at frame 2 (the worker killed, here an editor failing) keeps frames 0 and 1: the next run edits
     * only frame 2 and its output equals an uninterrupted run's exactly.
     */
    @Test
    void anInterruptedRunKeepsItsFinishedFrames() throws Exception {
        Path frames = store("frames", 3, W, H);
        BundleContext ctx = FrameworkUtil.getBundle(getClass()).getBundleContext();
        CountingInvert editor = new CountingInvert();
        ServiceRegistration<EditorProvider> reg = ctx.registerService(EditorProvider.class, editor,
                new Hashtable<>(Map.of(EditorProvider.ID_PROPERTY, InvertEditor.ID)));
        try {
            VideoIO io = service(VideoIO.class, null);
            FakeNodeContext straight = new FakeNodeContext(dir.resolve("straight")).param("editor", InvertEditor.ID)
                    .input("frames", frames);
            node().execute(straight);
            assertEquals(3, editor.calls.get());

            editor.calls.set(0);
            editor.failAt = 2;
            Path checkpoints = dir.resolve("interrupted/checkpoints");
            FakeNodeContext first = new FakeNodeContext(dir.resolve("interrupted")).param("editor", InvertEditor.ID)
                    .input("frames", frames);
            assertThrows(Exception.class, () -> node().execute(first));
            assertEquals(3, editor.calls.get());
            editor.failAt = -1;
            editor.calls.set(0);
            FakeNodeContext again = new FakeNodeContext(dir.resolve("interrupted")).param("editor", InvertEditor.ID)
                    .input("frames", frames);
            assertTrue(Files.isDirectory(checkpoints));
            Path staging = again.output("frames"); // a new run gets a fresh staging folder
            if (Files.exists(staging)) {
                try (var files = Files.walk(staging)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            node().execute(again);
            assertEquals(1, editor.calls.get(), "only the unfinished frame is edited again");
            assertTrue(again.log.stream().anyMatch(l -> l.contains("resumed: 2 of 3 frames")), again.log::toString);
            FrameStore a = io.open(straight.output("frames"));
            FrameStore b = io.open(again.output("frames"));
            for (int i = 0; i < 3; i++) {
                assertTrue(java.util.Arrays.equals(a.read(i).data(), b.read(i).data()), "frame " + i);
            }
        } finally {
            reg.unregister();
        }
    }

    /** Inverts, counts its calls and can fail at one frame (the seed says which: EditRequest carries no index). */
    private static final class CountingInvert implements EditorProvider {
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        volatile int failAt = -1;

        @Override
        public EditorDescriptor descriptor() {
            return new InvertEditor().descriptor();
        }

        @Override
        public FloatImage edit(EditRequest request) {
            if (calls.getAndIncrement() == failAt) {
                throw new IllegalStateException("worker killed at this frame");
            }
            return new InvertEditor().edit(request);
        }
    }

    /** The smallest editor: colours inverted. */
    private static final class InvertEditor implements EditorProvider {
        static final String ID = "test.invert";

        @Override
        public EditorDescriptor descriptor() {
            return new EditorDescriptor(ID, "Invert", "", List.of(), Set.of(), 0, false);
        }

        @Override
        public FloatImage edit(EditRequest request) {
            FloatImage out = request.image().copy();
            for (int i = 0; i < out.data().length; i++) {
                out.data()[i] = 1 - out.data()[i];
            }
            return out;
        }
    }

    @Test
    void missingReferenceAndMismatchedMasksAreNamed() throws Exception {
        Path frames = store("frames", 3, W, H);
        InvalidInputException noRef = assertThrows(InvalidInputException.class, () -> node().execute(
                new FakeNodeContext(dir).param("editor", "builtin.styletransfer").input("frames", frames)));
        assertTrue(noRef.getMessage().contains("parameter 'reference'"), noRef.getMessage());
        InvalidInputException badMasks = assertThrows(InvalidInputException.class, () -> node().execute(
                new FakeNodeContext(dir).param("editor", "builtin.cartoon").input("frames", frames)
                        .input("masks", store("small-masks", 1, W - 1, H))));
        assertTrue(badMasks.getMessage().contains("input 'masks'"), badMasks.getMessage());
    }
}
