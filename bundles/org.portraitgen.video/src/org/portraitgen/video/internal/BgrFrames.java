package org.portraitgen.video.internal;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;

import org.bytedeco.javacv.Frame;

/**
 * Copies a grabbed BGR24 frame into a BufferedImage. JavaCV pads the row stride to 64 bytes and then derives the
 * channel count as stride / width, which for narrow frames (96 px: 384-byte rows) claims 4 channels; its
 * Java2DFrameConverter then shears the picture into stripes. The pixel format is known here (BGR24), so rows are
 * copied with the real stride and 3 bytes per pixel.
 */
final class BgrFrames {

    private BgrFrames() {
    }

    static BufferedImage toImage(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int rowBytes = 3 * w;
        if (frame.imageDepth != Frame.DEPTH_UBYTE || frame.imageStride < rowBytes) {
            throw new IllegalStateException("expected a BGR24 frame, got depth " + frame.imageDepth + ", stride "
                    + frame.imageStride + " for width " + w);
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        for (int y = 0; y < h; y++) {
            src.position(y * frame.imageStride);
            src.get(dst, y * rowBytes, rowBytes);
        }
        return image;
    }
}
