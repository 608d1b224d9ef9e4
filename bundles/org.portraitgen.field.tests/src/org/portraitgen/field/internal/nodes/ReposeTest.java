package org.portraitgen.field.internal.nodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;

/** Reenactment's re-posing: the field's own rig moved by the driving clip's motion since its reference frame. */
class ReposeTest {
    static final Camera OWN = new Camera(64, 48, 60, 60, 32, 24, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
            new double[3]);
    static final Camera OTHER = new Camera(128, 128, 90, 90, 64, 64, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
            new double[3]);

    @Test
    void drivingMotionIsAddedToTheOwnReferencePoseInTheOwnCamera() {
        RigState own = new RigState(0, OWN, new float[] {0, 0, 10, 1, 0, 10}, new float[] {0}, true);
        RigState drivingRef = new RigState(0, OTHER, new float[] {5, 5, 20, 6, 5, 20}, new float[] {0}, true);
        // the driving head turned: its second vertex moved 0.5 forward, and the head opened its mouth by 1 down
        RigState driving = new RigState(7, OTHER, new float[] {5, 6, 20, 6, 5, 20.5f}, new float[] {0.3f}, true);
        RigState posed = RenderNode.reposed(own, drivingRef, driving);
        assertArrayEquals(new float[] {0, 1, 10, 1, 0, 10.5f}, posed.vertices());
        assertSame(OWN, posed.camera());
        assertEquals(7, posed.frame());
        assertArrayEquals(new float[] {0.3f}, posed.expression());
        // the driving clip's own reference frame gives the field's reference pose back
        assertArrayEquals(own.vertices(), RenderNode.reposed(own, drivingRef, drivingRef).vertices());
    }
}
