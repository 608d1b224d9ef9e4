package org.portraitgen.tracking.smplx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.testing.RecordingNodeContext;
import org.portraitgen.testing.TestData;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code Track} node with {@code tracker=smplx} on a real clip, with the real MediaPipe models (fetched by the
 * set-up; the test fails without them). No SMPL-X file can ship, so the model is built from the default tracker's
 * own face mesh on the clip's first frame (468 vertices that are also the landmarks, with its UVs) and given a
 * FLAME-like skeleton and random blend shapes; the fit must then follow the face through the clip.
 */
class TrackNodeEndToEndTest {
    private static final int FRAMES = 6;

    @Test
    void trackNodeRunsTheSmplxTrackerOnARealClip(@TempDir Path dir) throws Exception {
        VideoIO io = TestData.service(VideoIO.class, null);
        Path frames = dir.resolve("frames");
        io.decode(TestData.video("d0.mp4"), frames, new DecodeOptions(0, FRAMES, 1, 256, 256, "none", false), x -> {
        });
        NodeProvider track = TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=track.track)");

        RecordingNodeContext first = new RecordingNodeContext("track", dir.resolve("default")).input("frames", frames)
                .param("overlay_video", false);
        track.execute(first);
        Path model = dir.resolve("FLAME_NEUTRAL.npz");
        modelFromDefaultFaceMesh(first.output("tracking"), model);

        RecordingNodeContext ctx = new RecordingNodeContext("track", dir.resolve("smplx")).input("frames", frames)
                .param("tracker", "smplx").param("model_path", model.toString()).param("overlay_video", false);
        track.execute(ctx);
        Path out = ctx.output("tracking");
        assertTrue(Files.isRegularFile(out.resolve("face/tracking.json")), "the default tracker ran inside");
        Rig rig = TestData.service(Tracker.class, "(" + Tracker.ID_PROPERTY + "=smplx)").load(out);
        assertEquals(FRAMES, rig.frameCount());
        assertEquals(468, rig.vertexCount(), "per-vertex UVs: no seams to split");
        Map<?, ?> json = new ObjectMapper().readValue(out.resolve("smplx-tracking.json").toFile(), Map.class);
        double rms = ((Number) json.get("meanReprojectionPx")).doubleValue();
        System.out.printf("Track node, tracker=smplx on d0 (%d frames at 256²): mean landmark reprojection %.2f px%n",
                FRAMES, rms);
        // measured 0.09 px: the template is the face of frame 0 and the clip moves little; 1 px still means the fit
        // followed the face (a fit that did not move would be off by the head motion, several pixels)
        assertTrue(rms < 1, "mean reprojection " + rms + " px");
        assertEquals(1.0, ctx.progress.get(ctx.progress.size() - 1), 1e-9);
    }

    /** A model whose template is the default tracker's face mesh in frame 0 (camera cm to model metres, y up). */
    private static void modelFromDefaultFaceMesh(Path tracking, Path model) throws Exception {
        Map<?, ?> json = new ObjectMapper().readValue(tracking.resolve("tracking.json").toFile(), Map.class);
        int vn = ((Number) json.get("vertexCount")).intValue(), tn = ((Number) json.get("triangleCount")).intValue();
        int faceN = ((Number) json.get("faceVertexCount")).intValue();
        assertEquals(468, faceN);
        ByteBuffer topo = ByteBuffer.wrap(Files.readAllBytes(tracking.resolve("topology.bin")))
                .order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer verts = ByteBuffer.wrap(Files.readAllBytes(tracking.resolve("vertices.bin")))
                .order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> faces = new ArrayList<>();
        for (int t = 0; t < tn; t++) {
            int a = topo.getInt(12 * t), b = topo.getInt(12 * t + 4), c = topo.getInt(12 * t + 8);
            if (a < faceN && b < faceN && c < faceN) {
                faces.add(a);
                faces.add(b);
                faces.add(c);
            }
        }
        double[] template = new double[3 * faceN], uvs = new double[2 * faceN], mean = new double[3];
        for (int i = 0; i < faceN; i++) {
            template[3 * i] = verts.getFloat(12 * i) / 100.0;
            template[3 * i + 1] = -verts.getFloat(12 * i + 4) / 100.0;
            template[3 * i + 2] = -verts.getFloat(12 * i + 8) / 100.0;
            for (int c = 0; c < 3; c++) {
                mean[c] += template[3 * i + c] / faceN;
            }
            uvs[2 * i] = topo.getFloat(12 * tn + 8 * i);
            uvs[2 * i + 1] = 1 - topo.getFloat(12 * tn + 8 * i + 4);
        }
        for (int i = 0; i < template.length; i++) {
            template[i] -= mean[i % 3];
        }
        assertTrue(vn >= faceN && faces.size() / 3 > 800, faces.size() / 3 + " face triangles");
        SyntheticModel.onMesh(template, faces.stream().mapToInt(Integer::intValue).toArray(), uvs).write(model);
    }
}
