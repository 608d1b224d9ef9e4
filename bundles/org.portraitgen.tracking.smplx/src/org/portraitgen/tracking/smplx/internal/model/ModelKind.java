package org.portraitgen.tracking.smplx.internal.model;

/**
 * The model families this bundle reads, told apart by their joint count, with the joints face fitting moves (the
 * rest stay at rest pose unless body keypoints constrain them).
 */
public enum ModelKind {
    /** SMPL-X: 55 joints (pelvis 0, neck 12, head 15, jaw 22, eyes 23/24). */
    SMPLX(55, new int[] { 0, 12, 15, 22 }, 22),
    /** SMPL+H: 52 joints. */
    SMPLH(52, new int[] { 0, 12, 15 }, -1),
    /** SMPL: 24 joints. */
    SMPL(24, new int[] { 0, 12, 15 }, -1),
    /** FLAME: 5 joints (global 0, neck 1, jaw 2, eyes 3/4). */
    FLAME(5, new int[] { 0, 1, 2 }, 2),
    /** Any other tree: every joint is free. */
    GENERIC(-1, null, -1);

    final int joints;
    private final int[] faceJoints;
    private final int jaw;

    ModelKind(int joints, int[] faceJoints, int jaw) {
        this.joints = joints;
        this.faceJoints = faceJoints;
        this.jaw = jaw;
    }

    static ModelKind of(int jointCount) {
        for (ModelKind k : values()) {
            if (k.joints == jointCount) {
                return k;
            }
        }
        return GENERIC;
    }

    /** Joints whose rotation face-landmark fitting estimates (joint 0 is the global rotation). */
    public int[] faceJoints(int jointCount) {
        if (faceJoints == null) {
            int[] all = new int[jointCount];
            for (int j = 0; j < jointCount; j++) {
                all[j] = j;
            }
            return all;
        }
        return faceJoints.clone();
    }

    /** The jaw joint, or -1. */
    public int jaw() {
        return jaw;
    }

    /** How many of {@code total} blend-shape components are identity shape (the rest are expression). */
    int shapeComponents(int total) {
        return switch (this) {
            case SMPL, SMPLH -> total;
            case SMPLX, FLAME -> total >= 400 ? 300 : total / 2;
            case GENERIC -> total;
        };
    }
}
