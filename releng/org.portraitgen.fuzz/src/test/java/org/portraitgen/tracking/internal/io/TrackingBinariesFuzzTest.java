package org.portraitgen.tracking.internal.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.portraitgen.api.tracking.RigState;
import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The binary files of a tracking folder: {@code tracking.json} is fixed (3 vertices, 1 triangle, 1 frame) and the
 * fuzz input is split into {@code topology.bin} (its first 36 bytes: 3 indices, 3 uv pairs) and {@code vertices.bin}
 * (the rest). Reading fails only with an IOException naming the folder, and a rig it returns has triangle indices
 * within its vertices and finite positions for tracked frames, since everything downstream indexes and projects
 * them.
 */
class TrackingBinariesFuzzTest {

    private static final Path DIR = FuzzSupport.scratch("tracking-binaries");
    private static final int TOPOLOGY_BYTES = 3 * 4 + 3 * 8;

    static {
        FuzzSupport.write(DIR.resolve(TrackingFile.JSON), """
                {"format": "portraitgen-tracking", "version": 1, "vertexCount": 3, "triangleCount": 1,
                 "frameCount": 1, "width": 64, "height": 48,
                 "intrinsics": {"fx": 60.0, "fy": 60.0, "cx": 32.0, "cy": 24.0},
                 "frames": [{"expression": [0.5], "tracked": true}]}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @FuzzTest
    void read(byte[] data) {
        FuzzSupport.count("TrackingBinaries");
        int split = Math.min(TOPOLOGY_BYTES, data.length);
        FuzzSupport.write(DIR.resolve(TrackingFile.TOPOLOGY), Arrays.copyOfRange(data, 0, split));
        FuzzSupport.write(DIR.resolve(TrackingFile.VERTICES), Arrays.copyOfRange(data, split, data.length));
        try {
            TrackingRig rig = TrackingRig.read(DIR);
            for (int index : rig.triangles()) {
                if (index < 0 || index >= rig.vertexCount()) {
                    throw new AssertionError("triangle index " + index + " outside " + rig.vertexCount() + " vertices");
                }
            }
            for (int f = 0; f < rig.frameCount(); f++) {
                RigState s = rig.state(f);
                for (float v : s.vertices()) {
                    if (s.tracked() && !Float.isFinite(v)) {
                        throw new AssertionError("tracked frame " + f + " has a vertex coordinate " + v);
                    }
                }
            }
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, DIR);
        }
    }
}
