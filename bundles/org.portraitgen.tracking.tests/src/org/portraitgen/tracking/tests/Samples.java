package org.portraitgen.tracking.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.tracking.internal.models.ModelFiles;
import org.portraitgen.tracking.internal.track.Clip;
import org.portraitgen.testing.TestData;

/** Sample clips decoded small (few frames, 256²) so the suite stays quick on two cores. */
final class Samples {

    static final int SIZE = 256;

    private Samples() {
    }

    static FrameStore decode(VideoIO io, String clip, int frames, Path dir) throws IOException {
        return decode(io, clip, frames, 1, dir);
    }

    /** Every {@code step}-th frame, {@code frames} of them. */
    static FrameStore decode(VideoIO io, String clip, int frames, int step, Path dir) throws IOException {
        return io.decode(TestData.video(clip), dir, new DecodeOptions(0, frames, step, SIZE, SIZE, "none", false),
                x -> {
                });
    }

    static List<FloatImage> frames(FrameStore store) throws IOException {
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < store.info().frameCount(); i++) {
            out.add(store.read(i));
        }
        return out;
    }

    /** The models the set-up script fetched; tests fail (never skip) without them. */
    static ModelFiles models() {
        return ModelFiles.fromEnvironment();
    }

    static Clip clip(List<FloatImage> frames, List<FloatImage> masks) {
        return new Clip() {
            @Override
            public int frameCount() {
                return frames.size();
            }

            @Override
            public double frameRate() {
                return 25;
            }

            @Override
            public FloatImage frame(int index) {
                return frames.get(index);
            }

            @Override
            public FloatImage mask(int index) {
                return masks == null ? null : masks.get(index);
            }
        };
    }

    static FloatImage mirror(FloatImage img) {
        FloatImage out = new FloatImage(img.width(), img.height(), img.channels());
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    out.set(c, img.width() - 1 - x, y, img.get(c, x, y));
                }
            }
        }
        return out;
    }

    /** Fraction of pixels where both masks exceed 0.5 over where either does. */
    static double iou(float[] a, float[] b) {
        double in = 0, un = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] > 0.5f, y = b[i] > 0.5f;
            in += x && y ? 1 : 0;
            un += x || y ? 1 : 0;
        }
        return un == 0 ? 1 : in / un;
    }
}
