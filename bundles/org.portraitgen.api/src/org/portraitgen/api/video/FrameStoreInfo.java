package org.portraitgen.api.video;

import java.util.List;

/**
 * What a frame store holds, as written in its {@code frames.json}.
 *
 * @param frameRate      nominal frames per second of the source
 * @param timestampsUs   presentation time of each frame in microseconds, from the source's first frame
 * @param channels       3 for RGB frames, 1 for masks
 * @param audioFile      file name of the source's audio track kept beside the frames, or null when it has none
 * @param source         the file the frames were decoded from, for messages
 */
public record FrameStoreInfo(int width, int height, int channels, double frameRate, int frameCount,
        List<Long> timestampsUs, String audioFile, String source) {

    public static final int FORMAT_VERSION = 1;

    public FrameStoreInfo {
        timestampsUs = List.copyOf(timestampsUs);
        if (timestampsUs.size() != frameCount) {
            throw new IllegalArgumentException("frame store lists " + timestampsUs.size() + " timestamps for "
                    + frameCount + " frames");
        }
    }
}
