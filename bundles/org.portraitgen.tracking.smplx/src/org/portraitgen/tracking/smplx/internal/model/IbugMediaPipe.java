package org.portraitgen.tracking.smplx.internal.model;

import java.util.Arrays;

import org.portraitgen.tracking.smplx.internal.npy.NpyFormatException;

/**
 * The 68 iBUG 300-W landmarks (the order of SMPL-X's and FLAME's static landmark embeddings) as points of
 * MediaPipe's 468-point face mesh. The correspondence is approximate (nearest mesh point to each iBUG definition),
 * most of all along the jaw contour; SMPL-X's 51-point embedding is iBUG 17..67, without the contour.
 */
final class IbugMediaPipe {

    static final int[] IBUG68 = {
            162, 234, 93, 58, 172, 136, 149, 148, 152, 377, 378, 365, 397, 288, 323, 454, 389, // jaw 0-16
            71, 63, 105, 66, 107, // right brow 17-21
            336, 296, 334, 293, 301, // left brow 22-26
            168, 197, 5, 4, // nose bridge 27-30
            75, 97, 2, 326, 305, // nostrils 31-35
            33, 160, 158, 133, 153, 144, // right eye 36-41
            362, 385, 387, 263, 373, 380, // left eye 42-47
            61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181, // outer lips 48-59
            78, 82, 13, 312, 308, 317, 14, 87 }; // inner lips 60-67

    private IbugMediaPipe() {
    }

    static int[] forLandmarkCount(int count, String array) throws NpyFormatException {
        if (count == 68) {
            return IBUG68.clone();
        }
        if (count == 51) {
            return Arrays.copyOfRange(IBUG68, 17, 68);
        }
        throw new NpyFormatException(array + ": " + count + " landmarks with no 'landmark_indices' array; only the"
                + " 51- and 68-point iBUG embeddings are related to MediaPipe's mesh without one");
    }
}
