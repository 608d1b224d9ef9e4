package org.portraitgen.tracking.internal.track;

/**
 * Quality figures of a tracked clip, in pixels unless said.
 *
 * @param reprojectionMean mean distance between the rig's face vertices projected and the raw landmarks
 * @param reprojectionP95  95th percentile of the same
 * @param jitterRaw        mean |second difference| of the raw landmarks (frame to frame shake)
 * @param jitterSmoothed   the same after smoothing
 * @param lagFrames        the shift (frames) that best aligns smoothed with raw landmark centroids; 0 = no lag
 * @param rotationJitterRawDeg   mean |second difference| of the head rotation (degrees) posed from raw landmarks
 * @param rotationJitterDeg      the same for the smoothed pose the rig uses
 * @param translationJitterRawMm mean |second difference| of the head translation (mm), raw
 * @param translationJitterMm    the same, smoothed
 */
public record TrackStats(int frames, int trackedFrames, int detections, double reprojectionMean,
        double reprojectionP95, double jitterRaw, double jitterSmoothed, double lagFrames,
        double rotationJitterRawDeg, double rotationJitterDeg, double translationJitterRawMm,
        double translationJitterMm) {
}
