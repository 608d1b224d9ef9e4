package org.portraitgen.tracking.smplx.internal.fit;

import org.portraitgen.tracking.smplx.internal.model.ModelKind;

/**
 * How MediaPipe Pose's 33 body landmarks relate to the SMPL family's joints. MediaPipe's indices are those of its
 * {@code POSE_LANDMARKS} (11/12 shoulders, 13/14 elbows, 15/16 wrists, 23/24 hips, left first); the joint indices are
 * the body joints SMPL, SMPL+H and SMPL-X share (smplx package, {@code joint_names.py}: 1/2 hips, 16/17 shoulders,
 * 18/19 elbows, 20/21 wrists, left first; SMPL's "left" is the subject's left, like MediaPipe's). SMPL's hip joints
 * sit inside the pelvis, a few cm from where MediaPipe puts the hip, so hips get a wider σ.
 */
public final class BodyKeypoints {

    /** MediaPipe Pose points per frame, each (x, y, visibility) in image pixels. */
    public static final int POINTS = 33, STRIDE = 3;
    /** {MediaPipe point, model joint, σ multiplier}. */
    static final int[][] PAIRS = { { 11, 16, 1 }, { 12, 17, 1 }, { 13, 18, 1 }, { 14, 19, 1 }, { 15, 20, 1 },
            { 16, 21, 1 }, { 23, 1, 3 }, { 24, 2, 3 } };
    /**
     * Joints whose rotation moves those points (besides the global rotation): spine 3/6/9, collars 13/14, shoulders
     * 16/17, elbows 18/19. Hips depend only on the global rotation and translation, wrists' own rotation moves nothing.
     */
    static final int[] MOVING_JOINTS = { 3, 6, 9, 13, 14, 16, 17, 18, 19 };

    private BodyKeypoints() {
    }

    /** Whether the model has the SMPL body skeleton these points relate to. */
    public static boolean applies(ModelKind kind) {
        return kind == ModelKind.SMPLX || kind == ModelKind.SMPLH || kind == ModelKind.SMPL;
    }

    /** The model joint MediaPipe point {@code point} relates to, or -1. */
    public static int jointOf(int point) {
        for (int[] p : PAIRS) {
            if (p[0] == point) {
                return p[1];
            }
        }
        return -1;
    }
}
