package org.portraitgen.tracking.internal.overlay;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;

/** A video of the frames with the background dimmed and tinted by (1 - mask), for judging masks by eye. */
public final class MaskPreview {

    private MaskPreview() {
    }

    public static void write(VideoIO io, FrameStore frames, FrameStore masks, Path mp4, NodeContext context)
            throws IOException {
        Path staging = mp4.resolveSibling(".preview-frames");
        try (FrameStoreWriter w = io.create(staging, frames.info().width(), frames.info().height(), 3,
                frames.info().frameRate())) {
            for (int f = 0; f < frames.info().frameCount(); f++) {
                context.checkCancelled();
                FloatImage img = frames.read(f).copy(), m = masks.read(f);
                int n = img.planeSize();
                for (int i = 0; i < n; i++) {
                    float a = m.data()[i];
                    img.data()[i] = a * img.data()[i] + (1 - a) * (0.2f * img.data()[i] + 0.5f);
                    img.data()[n + i] = a * img.data()[n + i] + (1 - a) * 0.2f * img.data()[n + i];
                    img.data()[2 * n + i] = a * img.data()[2 * n + i] + (1 - a) * (0.2f * img.data()[2 * n + i] + 0.5f);
                }
                w.append(img, frames.info().timestampsUs().get(f));
            }
            FrameStore store = w.finish();
            io.encodeMp4(store, mp4, new EncodeOptions(23, 3000, false), x -> context.checkCancelled());
        } finally {
            OverlayVideo.deleteTree(staging);
        }
    }
}
