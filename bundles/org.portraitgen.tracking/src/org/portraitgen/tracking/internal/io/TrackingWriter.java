package org.portraitgen.tracking.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.portraitgen.tracking.internal.face.Intrinsics;
import org.portraitgen.tracking.internal.track.TrackResult;
import org.portraitgen.tracking.internal.track.TrackStats;

/** Writes a {@link TrackResult} as a tracking folder (see {@link TrackingFile}). */
public final class TrackingWriter {

    private TrackingWriter() {
    }

    public static void write(TrackResult r, String trackerId, double frameRate, Path dir) throws IOException {
        int[] tris = r.topology().triangles();
        float[] uvs = r.topology().uvs();
        ByteBuffer topo = ByteBuffer.allocate(tris.length * 4 + uvs.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int t : tris) {
            topo.putInt(t);
        }
        for (float u : uvs) {
            topo.putFloat(u);
        }
        int vn = r.topology().vertexCount(), faceN = r.topology().faceVertexCount();
        TrackingFile.writeAtomically(dir, TrackingFile.TOPOLOGY, topo);
        TrackingFile.writeAtomically(dir, TrackingFile.VERTICES, TrackingFile.floats(Arrays.asList(r.vertices()), vn * 3));
        TrackingFile.writeAtomically(dir, TrackingFile.LANDMARKS,
                TrackingFile.floats(Arrays.asList(r.rawLandmarks()), faceN * 3));
        Intrinsics c = r.camera();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", TrackingFile.FORMAT);
        json.put("version", TrackingFile.VERSION);
        json.put("tracker", trackerId);
        json.put("detector", r.detector());
        json.put("width", c.width());
        json.put("height", c.height());
        json.put("frameRate", frameRate);
        json.put("frameCount", r.frameCount());
        json.put("intrinsics", Map.of("fx", c.fx(), "fy", c.fy(), "cx", c.cx(), "cy", c.cy()));
        json.put("units", "cm");
        json.put("vertexCount", vn);
        json.put("faceVertexCount", faceN);
        json.put("triangleCount", tris.length / 3);
        json.put("expressionSize", r.expression()[0].length);
        TrackStats s = r.stats();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("trackedFrames", s.trackedFrames());
        stats.put("detections", s.detections());
        stats.put("reprojectionMeanPx", s.reprojectionMean());
        stats.put("reprojectionP95Px", s.reprojectionP95());
        stats.put("jitterRawPx", s.jitterRaw());
        stats.put("jitterSmoothedPx", s.jitterSmoothed());
        stats.put("lagFrames", s.lagFrames());
        stats.put("rotationJitterRawDeg", s.rotationJitterRawDeg());
        stats.put("rotationJitterDeg", s.rotationJitterDeg());
        stats.put("translationJitterRawMm", s.translationJitterRawMm());
        stats.put("translationJitterMm", s.translationJitterMm());
        json.put("stats", stats);
        List<Map<String, Object>> frames = new ArrayList<>();
        for (int f = 0; f < r.frameCount(); f++) {
            Map<String, Object> fr = new LinkedHashMap<>();
            fr.put("index", f);
            fr.put("tracked", r.tracked(f));
            fr.put("presence", r.presence()[f]);
            fr.put("rotation", r.poses()[f].rotationMatrix());
            fr.put("translation", r.poses()[f].t());
            fr.put("expression", r.expression()[f]);
            frames.add(fr);
        }
        json.put("frames", frames);
        TrackingFile.writeJson(dir, json);
    }
}
