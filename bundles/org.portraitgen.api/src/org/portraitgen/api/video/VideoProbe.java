package org.portraitgen.api.video;

/**
 * @param frameCount frames as reported by the container (may be an estimate)
 * @param durationUs duration in microseconds
 */
public record VideoProbe(String file, String format, String videoCodec, int width, int height, double frameRate,
        int frameCount, long durationUs, boolean hasAudio) {
}
