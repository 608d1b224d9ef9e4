package org.portraitgen.api.video;

/**
 * How to decode.
 *
 * @param startFrame first frame to keep (0-based)
 * @param maxFrames  at most this many frames (0: all)
 * @param step       keep every step-th frame (1: all)
 * @param width      output width after crop and resize (0: keep)
 * @param height     output height (0: keep the aspect ratio of the crop when width is set, else keep)
 * @param crop       "none", or "center-square" to crop the middle square before resizing
 * @param keepAudio  extract the audio track so encoding can put it back
 */
public record DecodeOptions(int startFrame, int maxFrames, int step, int width, int height, String crop,
        boolean keepAudio) {

    public static final DecodeOptions ALL = new DecodeOptions(0, 0, 1, 0, 0, "none", true);

    public DecodeOptions {
        if (startFrame < 0 || maxFrames < 0 || step < 1 || width < 0 || height < 0) {
            throw new IllegalArgumentException("decode options out of range: " + startFrame + "/" + maxFrames + "/"
                    + step + "/" + width + "x" + height);
        }
        crop = crop == null ? "none" : crop;
    }
}
