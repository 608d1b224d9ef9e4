package org.portraitgen.field.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.nodes.FieldNodeSupport;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.LiftInputs;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * The field node types as the pipeline finds them: DS services looked up by {@code portraitgen.node.type}, bound to
 * a test tracker and in-memory frame stores registered in the framework.
 */
class FieldNodesTest {
    private static final int SIZE = 24;
    private static final int FRAMES = 8;
    private static BundleContext bc;
    private static final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private static final NodeFakes.MemoryVideoIO io = new NodeFakes.MemoryVideoIO();
    private static final SphereRig rig = new SphereRig(8, 12, FRAMES, SIZE);

    @BeforeAll
    static void register() {
        bc = FrameworkUtil.getBundle(FieldNodesTest.class).getBundleContext();
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(Tracker.ID_PROPERTY, "test-sphere");
        registrations.add(bc.registerService(Tracker.class, new NodeFakes.SphereTracker(rig), p));
        Dictionary<String, Object> q = new Hashtable<>();
        q.put(Constants.SERVICE_RANKING, 1000);
        registrations.add(bc.registerService(VideoIO.class, io, q));
    }

    @AfterAll
    static void unregister() {
        registrations.forEach(ServiceRegistration::unregister);
    }

    private static NodeProvider node(String type) throws Exception {
        Collection<ServiceReference<NodeProvider>> refs = bc.getServiceReferences(NodeProvider.class,
                "(" + NodeProvider.TYPE_PROPERTY + "=" + type + ")");
        assertEquals(1, refs.size(), type + " is registered once");
        NodeProvider n = bc.getService(refs.iterator().next());
        assertEquals(type, n.descriptor().type());
        assertEquals("Field", n.descriptor().category());
        return n;
    }

    private static Path tracking(Path dir) throws Exception {
        Path t = Files.createDirectories(dir.resolve("tracking"));
        Files.writeString(t.resolve(NodeFakes.SphereTracker.MARKER), "sphere");
        return t;
    }

    private static NodeFakes.Context liftContext(Path dir, Path checkpoints) throws Exception {
        List<TrainingFrame> data;
        try (Workers w = new Workers(2)) {
            data = LiftTest.syntheticFrames(rig, FRAMES, w);
        }
        List<FloatImage> rgb = new ArrayList<>();
        List<FloatImage> masks = new ArrayList<>();
        for (TrainingFrame f : data) {
            rgb.add(f.rgb());
            masks.add(f.mask());
        }
        NodeFakes.Context c = new NodeFakes.Context(dir.resolve("out"), checkpoints);
        c.inputs.put("frames", io.put(dir.resolve("frames"), rgb));
        c.inputs.put("masks", io.put(dir.resolve("masks"), masks));
        c.inputs.put("tracking", tracking(dir));
        c.parameters.put("steps", 6);
        c.parameters.put("batch", 2);
        c.parameters.put("resolution", 0);
        c.parameters.put("holdout_every", 4);
        c.parameters.put("checkpoint_every", 2);
        c.parameters.put("validate_every", 3);
        c.parameters.put("uv_resolution", 12);
        c.parameters.put("seed", 3);
        return c;
    }

    @Test
    void liftRenderAndExportEndToEnd(@TempDir Path dir) throws Exception {
        NodeFakes.Context lift = liftContext(dir, dir.resolve("ckpt"));
        node("field.lift").execute(lift);
        Path field = lift.root.resolve("field");
        assertTrue(Files.isRegularFile(field.resolve("field.ckpt")));
        assertEquals(6, Checkpoints.read(field.resolve("field.ckpt")).adamStep());
        assertEquals(6, lift.metrics.stream().filter(m -> m.startsWith("loss@")).count(), lift.metrics.toString());
        assertEquals(2, lift.metrics.stream().filter(m -> m.startsWith("psnr@")).count(), lift.metrics.toString());
        assertTrue(lift.log.stream().anyMatch(l -> l.contains("engine: onnxruntime")), lift.log.toString());

        NodeFakes.Context render = new NodeFakes.Context(dir.resolve("render"), dir.resolve("ckpt-r"));
        render.inputs.put("field", field);
        render.inputs.put("tracking", tracking(dir));
        render.parameters.put("resolution", 16);
        node("field.render").execute(render);
        NodeFakes.MemoryStore out = io.stores.get(render.root.resolve("frames"));
        assertEquals(FRAMES, out.images().size());
        assertEquals(16, out.images().get(0).width());

        NodeFakes.Context ply = new NodeFakes.Context(dir.resolve("ply"), dir.resolve("ckpt-p"));
        ply.inputs.put("field", field);
        ply.inputs.put("tracking", tracking(dir));
        ply.parameters.put("frame", 2);
        Path target = dir.resolve("export/head.ply");
        ply.parameters.put("output", target.toString());
        NodeProvider export = node("field.export-ply");
        export.execute(ply);
        assertTrue(Files.notExists(target), "nothing published before publish()");
        export.publish(ply);
        assertTrue(new String(Files.readAllBytes(target), 0, 3, java.nio.charset.StandardCharsets.US_ASCII)
                .equals("ply"));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "no temp files left beside the .ply");
        }
    }

    @Test
    void exportLiftInputsWritesWhatTheLiftTrainsOn(@TempDir Path dir) throws Exception {
        NodeFakes.Context c = liftContext(dir, dir.resolve("ckpt"));
        c.parameters.clear();
        c.parameters.put("resolution", 16);
        c.parameters.put("max_frames", 5);
        Path target = dir.resolve("bench/d.lift");
        c.parameters.put("output", target.toString());
        NodeProvider export = node("field.export-lift-inputs");
        export.execute(c);
        assertTrue(Files.notExists(target), "nothing published before publish()");
        export.publish(c);
        LiftInputs in = LiftInputs.read(target);
        assertEquals(5, in.frames().size());
        assertEquals(16, in.width());
        assertTrue(in.hasMasks());
        assertEquals(rig.vertexCount(), in.vertexCount());
        assertArrayEquals(rig.triangles(), in.triangles());
        for (int i = 0; i < 5; i++) {
            // the Lift node's resampling: area-averaged images, the camera scaled with pixel centres aligned
            RigState expected = FieldNodeSupport.scaled(rig.state(i), 16, 16);
            RigState got = in.frames().get(i).state();
            assertEquals(expected.camera().fx(), got.camera().fx(), 0);
            assertEquals(expected.camera().cx(), got.camera().cx(), 0);
            assertArrayEquals(expected.vertices(), got.vertices());
            FloatImage rgb = FieldNodeSupport.resize(io.stores.get(c.inputs.get("frames")).images().get(i), 16, 16);
            float[] a = rgb.data();
            float[] b = in.frames().get(i).rgb().data();
            for (int k = 0; k < a.length; k++) {
                assertEquals(a[k], b[k], 0.5 / 255 + 1e-6, "frame " + i + " value " + k);
            }
        }
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "no temp files left beside the inputs file");
        }
    }

    @Test
    void aCancelledLiftResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("ckpt");
        NodeFakes.Context first = liftContext(dir, checkpoints);
        first.cancelAfterMetrics = 5; // loss@1..3, psnr@3, loss@4: cancelled after step 4 (checkpointed)
        assertThrows(CancellationException.class, () -> node("field.lift").execute(first));
        assertEquals(4, Checkpoints.read(checkpoints.resolve("field.ckpt")).adamStep());
        NodeFakes.Context second = liftContext(dir, checkpoints);
        node("field.lift").execute(second);
        assertTrue(second.log.stream().anyMatch(l -> l.startsWith("resumed")), second.log.toString());
        assertTrue(second.metrics.stream().noneMatch(m -> m.startsWith("loss@1=")), "steps 1-4 were not redone");
        assertEquals(6, Checkpoints.read(second.root.resolve("field/field.ckpt")).adamStep());
    }

    @Test
    void aTrackingFolderNoTrackerReadsFailsClearly(@TempDir Path dir) throws Exception {
        NodeFakes.Context c = liftContext(dir, dir.resolve("ckpt"));
        c.inputs.put("tracking", Files.createDirectories(dir.resolve("not-a-tracking")));
        NodeException e = assertThrows(NodeException.class, () -> node("field.lift").execute(c));
        assertTrue(e.getMessage().contains("no installed Tracker can read the tracking folder"), e.getMessage());
        assertTrue(e.getMessage().contains("test-sphere"), e.getMessage());
    }

    @Test
    void gaussianCountAndMemoryLimitsRefuseBeforeTraining(@TempDir Path dir) throws Exception {
        NodeFakes.Context dense = liftContext(dir, dir.resolve("ckpt"));
        System.setProperty("portraitgen.field.maxGaussians", "20");
        try {
            NodeException e = assertThrows(NodeException.class, () -> node("field.lift").execute(dense));
            assertTrue(e.getMessage().contains("'uv_resolution' = 12") && e.getMessage().contains("limit of 20")
                    && e.getMessage().contains("field.lift"), e.getMessage());
        } finally {
            System.clearProperty("portraitgen.field.maxGaussians");
        }
        NodeFakes.Context huge = liftContext(dir.resolve("huge"), dir.resolve("ckpt2"));
        huge.parameters.put("resolution", 4096);
        huge.parameters.put("batch", 64);
        NodeException e = assertThrows(NodeException.class, () -> node("field.lift").execute(huge));
        assertTrue(e.getMessage().contains("MiB of memory") && e.getMessage().contains("PORTRAITGEN_JVM_OPTS")
                && e.getMessage().contains("batch 64"), e.getMessage());
        assertTrue(huge.metrics.isEmpty(), "no step ran");
    }
}
