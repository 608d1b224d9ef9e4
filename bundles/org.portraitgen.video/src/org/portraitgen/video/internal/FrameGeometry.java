package org.portraitgen.video.internal;

import org.portraitgen.api.video.DecodeOptions;

/**
 * Where decoded frames are cropped and what size they are scaled to: crop first (so "center-square" then a width of
 * 256 gives 256x256), then resize.
 */
record FrameGeometry(int cropX, int cropY, int cropWidth, int cropHeight, int width, int height) {

    static final String CROP_NONE = "none";
    static final String CROP_CENTER_SQUARE = "center-square";

    static FrameGeometry of(int sourceWidth, int sourceHeight, DecodeOptions options) {
        int cx = 0;
        int cy = 0;
        int cw = sourceWidth;
        int ch = sourceHeight;
        switch (options.crop()) {
            case CROP_NONE -> {
                // keep the whole frame
            }
            case CROP_CENTER_SQUARE -> {
                int side = Math.min(sourceWidth, sourceHeight);
                cx = (sourceWidth - side) / 2;
                cy = (sourceHeight - side) / 2;
                cw = side;
                ch = side;
            }
            default -> throw new IllegalArgumentException("crop '" + options.crop() + "' is not one of "
                    + CROP_NONE + ", " + CROP_CENTER_SQUARE);
        }
        int w = options.width();
        int h = options.height();
        if (w > 0 && h == 0) {
            h = Math.max(1, (int) Math.round((double) ch * w / cw));
        } else if (h > 0 && w == 0) {
            w = Math.max(1, (int) Math.round((double) cw * h / ch));
        } else if (w == 0) {
            w = cw;
            h = ch;
        }
        return new FrameGeometry(cx, cy, cw, ch, w, h);
    }

    boolean crops(int sourceWidth, int sourceHeight) {
        return cropWidth != sourceWidth || cropHeight != sourceHeight;
    }

    boolean resizes() {
        return width != cropWidth || height != cropHeight;
    }
}
