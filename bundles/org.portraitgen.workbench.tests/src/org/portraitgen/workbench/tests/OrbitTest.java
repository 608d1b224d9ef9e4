package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.workbench.internal.viewport.Orbit;

/** The viewport's orbit against poses worked out by hand. */
class OrbitTest {
    private static final Camera CAMERA = new Camera(200, 100, 150, 150, 99.5, 49.5,
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);

    /** Two vertices either side of a centroid at depth 2 along x, one above it. */
    private static RigState pose() {
        return new RigState(0, CAMERA, new float[] {-1, 0, 2, 1, 0, 2, 0, -0.3f, 2}, new float[0], true);
    }

    @Test
    void theTrackedOrbitKeepsThePoseAndScalesTheCamera() {
        RigState s = Orbit.TRACKED.apply(pose(), 100, 50);
        assertEquals(-1, s.vertices()[0], 1e-6);
        assertEquals(2, s.vertices()[2], 1e-6);
        assertEquals(75, s.camera().fx(), 1e-9, "half the size, half the focal length");
        assertEquals(49.5, s.camera().cx(), 1e-9, "pixel centres stay centred: (cx + .5) s - .5");
        assertEquals(24.5, s.camera().cy(), 1e-9);
    }

    @Test
    void aQuarterYawTurnsXIntoDepthAboutTheCentroid() {
        RigState s = new Orbit(90, 0, 1).apply(pose(), 200, 100);
        float[] v = s.vertices();
        double cy = -0.1; // centroid: (0, -0.1, 2)
        assertEquals(0, v[0], 1e-6, "(-1, 0, 2) goes to x = 0 ...");
        assertEquals(3, v[2], 1e-6, "... one unit deeper (Ry: x' = z, z' = -x about the centroid)");
        assertEquals(0, v[3], 1e-6);
        assertEquals(1, v[5], 1e-6, "(1, 0, 2) comes one unit nearer");
        assertEquals(-0.3, v[7], 1e-6, "a yaw keeps heights");
        assertEquals(cy, (v[1] + v[4] + v[7]) / 3, 1e-6, "the centroid stays put");
    }

    @Test
    void pitchIsClampedShortOfThePoleAndZoomScalesTheFocalLength() {
        assertEquals(85, new Orbit(0, 120, 1).pitchDegrees());
        RigState s = Orbit.TRACKED.zoomed(2).apply(pose(), 200, 100);
        assertEquals(300, s.camera().fx(), 1e-9);
        assertEquals(99.5, s.camera().cx(), 1e-9, "zoom keeps the principal point");
    }
}
