package org.portraitgen.tracking.internal.overlay;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.tracking.internal.track.TrackResult;

/** The overlay frames encoded as an MP4 beside the tracking file. */
public final class OverlayVideo {

    private OverlayVideo() {
    }

    public static void write(VideoIO io, FrameStore frames, TrackResult r, Path mp4, NodeContext context)
            throws IOException {
        Path staging = mp4.resolveSibling(".overlay-frames");
        int[] tris = r.topology().triangles();
        try (FrameStoreWriter w = io.create(staging, frames.info().width(), frames.info().height(), 3,
                frames.info().frameRate())) {
            for (int f = 0; f < r.frameCount(); f++) {
                context.checkCancelled();
                BufferedImage img = frames.readImage(f);
                BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(img, 0, 0, null);
                OverlayPainter.paint(rgb, r.camera(), tris, r.topology().faceVertexCount(), r.vertices()[f],
                        r.rawLandmarks()[f]);
                w.append(rgb, frames.info().timestampsUs().get(f));
            }
            FrameStore store = w.finish();
            io.encodeMp4(store, mp4, new EncodeOptions(20, 4000, false), x -> context.checkCancelled());
        } finally {
            deleteTree(staging);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
