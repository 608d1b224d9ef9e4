package org.portraitgen.api.video;

/**
 * @param crf      constant quality (lower is better; 18 is visually lossless for most content); honoured where the
 *                 encoder supports it, otherwise {@code bitrateKbps} applies
 * @param bitrateKbps target bitrate, kilobits per second, for encoders without quality mode
 * @param keepAudio mux the frame store's audio track, if it has one
 */
public record EncodeOptions(int crf, int bitrateKbps, boolean keepAudio) {
    public static final EncodeOptions DEFAULT = new EncodeOptions(18, 8000, true);
}
