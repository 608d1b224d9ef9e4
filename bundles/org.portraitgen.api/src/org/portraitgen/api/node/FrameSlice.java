package org.portraitgen.api.node;

/**
 * One of {@code count} equal shares of a per-frame node's frames, so a render farm can run the shares as a job
 * array: slice {@code index} covers frames {@code [start(n), end(n))} of an input of {@code n} frames.
 */
public record FrameSlice(int index, int count) {

    public FrameSlice {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("slice " + index + " of " + count + " does not exist");
        }
    }

    public int start(int frames) {
        return (int) ((long) frames * index / count);
    }

    public int end(int frames) {
        return (int) ((long) frames * (index + 1) / count);
    }

    /** Parses {@code INDEX/COUNT}, as the command line writes it. */
    public static FrameSlice parse(String text) {
        String[] parts = text.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a slice is written INDEX/COUNT, e.g. 0/4, not '" + text + "'");
        }
        return new FrameSlice(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
