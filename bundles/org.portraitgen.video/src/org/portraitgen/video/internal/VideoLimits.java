package org.portraitgen.video.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * The largest frames this installation decodes. A video declaring more is refused after probing and before any
 * frame buffer is allocated: one 8K RGB frame is already 200 MB on the Java heap once converted.
 *
 * @param maxSide   largest width or height in pixels
 * @param maxPixels largest width x height
 * @param maxFrames most frames one decode keeps (every kept frame is a file in the frame store and, in training,
 *                  an image on the heap); a longer video is decoded in parts with max_frames, start and step
 */
public record VideoLimits(int maxSide, long maxPixels, int maxFrames) {

    public static final String MAX_SIDE_PROPERTY = "video.limit.maxSide";
    public static final String MAX_PIXELS_PROPERTY = "video.limit.maxPixels";
    public static final String MAX_FRAMES_PROPERTY = "video.limit.maxFrames";
    public static final VideoLimits DEFAULT = new VideoLimits(8192, 40_000_000L, 100_000);

    public VideoLimits {
        if (maxSide < 1 || maxPixels < 1 || maxFrames < 1) {
            throw new IllegalArgumentException("video limits must be positive: " + maxSide + " px, " + maxPixels
                    + " px, " + maxFrames + " frames");
        }
    }

    /** Size limits with the default frame count limit. */
    public VideoLimits(int maxSide, long maxPixels) {
        this(maxSide, maxPixels, DEFAULT.maxFrames);
    }

    /** Refuses keeping one more frame once {@code kept} frames are stored. */
    public void checkFrames(Path file, int kept) throws VideoFileException {
        if (kept >= maxFrames) {
            throw new VideoFileException(VideoFileException.Problem.TOO_LARGE, file, "more than the limit of "
                    + maxFrames + " frames would be decoded; decode a part with max_frames, start or step");
        }
    }

    /** Reads the limits from component properties, falling back to {@link #DEFAULT} for absent values. */
    public static VideoLimits from(Map<String, ?> properties) {
        return new VideoLimits((int) number(properties.get(MAX_SIDE_PROPERTY), DEFAULT.maxSide),
                number(properties.get(MAX_PIXELS_PROPERTY), DEFAULT.maxPixels),
                (int) number(properties.get(MAX_FRAMES_PROPERTY), DEFAULT.maxFrames));
    }

    /** Refuses a frame size over the limits; {@code what} says whose size it is, for the message. */
    public void check(Path file, int width, int height, String what) throws VideoFileException {
        if (width > maxSide || height > maxSide) {
            throw new VideoFileException(VideoFileException.Problem.TOO_LARGE, file, what + " " + width + "x"
                    + height + " is larger than the limit of " + maxSide + " pixels per side");
        }
        if ((long) width * height > maxPixels) {
            throw new VideoFileException(VideoFileException.Problem.TOO_LARGE, file, what + " " + width + "x"
                    + height + " has more than the limit of " + maxPixels / 1e6 + " megapixels");
        }
    }

    private static long number(Object v, long fallback) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        return v == null ? fallback : Long.parseLong(v.toString().trim());
    }
}
