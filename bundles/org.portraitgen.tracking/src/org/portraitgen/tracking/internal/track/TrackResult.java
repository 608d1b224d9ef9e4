package org.portraitgen.tracking.internal.track;

import org.portraitgen.tracking.internal.face.Intrinsics;
import org.portraitgen.tracking.internal.face.HeadPose;
import org.portraitgen.tracking.internal.rig.RigTopology;

/**
 * A tracked clip, everything per frame.
 *
 * @param rawLandmarks x,y,z per point from the model, null for frames without a face
 * @param landmarks    the interpolated and smoothed landmarks the rig follows
 * @param vertices     rig vertices per frame, camera space, cm
 * @param expression   expression descriptor per frame
 */
public record TrackResult(Intrinsics camera, RigTopology topology, String detector, float[][] rawLandmarks,
        double[] presence, float[][] landmarks, HeadPose[] poses, float[][] vertices, float[][] expression,
        TrackStats stats) {

    public int frameCount() {
        return vertices.length;
    }

    public boolean tracked(int frame) {
        return rawLandmarks[frame] != null;
    }
}
