package org.portraitgen.video.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * The largest frames this installation decodes. A video declaring more is refused after probing and before any
 * frame buffer is allocated: one 8K RGB frame is already 200 MB on the Java heap once converted.
 *
 * @param maxSide   largest width or height in pixels
 * @param maxPixels largest width x height
 */
public record VideoLimits(int maxSide, long maxPixels) {

    public static final String MAX_SIDE_PROPERTY = "video.limit.maxSide";
    public static final String MAX_PIXELS_PROPERTY = "video.limit.maxPixels";
    public static final VideoLimits DEFAULT = new VideoLimits(8192, 40_000_000L);

    public VideoLimits {
        if (maxSide < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("video limits must be positive: " + maxSide + " px, " + maxPixels);
        }
    }

    /** Reads the limits from component properties, falling back to {@link #DEFAULT} for absent values. */
    public static VideoLimits from(Map<String, ?> properties) {
        return new VideoLimits((int) number(properties.get(MAX_SIDE_PROPERTY), DEFAULT.maxSide),
                number(properties.get(MAX_PIXELS_PROPERTY), DEFAULT.maxPixels));
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
