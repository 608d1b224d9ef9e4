package org.portraitgen.editors.onnx.internal.diffusion;

import org.portraitgen.api.image.FloatImage;

/**
 * AnyDoor's control input: a square crop around the mask's box (the box grown 2× so the model sees the
 * surroundings), resized to the working resolution, with the reference's Sobel high-frequency map fitted into the
 * box, in [−1, 1], plus the box as a fourth channel (1 inside).
 *
 * @param crop    the crop in image pixels: x, y, side
 * @param control [1, 4, R, R]
 */
public record AnyDoorCollage(int[] crop, Tensor control) {

    public static AnyDoorCollage build(FloatImage image, FloatImage mask, FloatImage reference, int resolution) {
        int[] box = maskBox(mask);
        int cx = (box[0] + box[2]) / 2;
        int cy = (box[1] + box[3]) / 2;
        int side = Math.min(Math.min(image.width(), image.height()),
                Math.max(16, 2 * Math.max(box[2] - box[0], box[3] - box[1])));
        int x0 = Math.max(0, Math.min(image.width() - side, cx - side / 2));
        int y0 = Math.max(0, Math.min(image.height() - side, cy - side / 2));
        FloatImage crop = ImageTensors.resize(cut(image, x0, y0, side), resolution, resolution);
        double s = (double) resolution / side;
        int bx0 = (int) Math.floor((box[0] - x0) * s);
        int by0 = (int) Math.floor((box[1] - y0) * s);
        int bw = Math.max(1, (int) Math.ceil((box[2] - box[0]) * s));
        int bh = Math.max(1, (int) Math.ceil((box[3] - box[1]) * s));
        // the reference keeps its aspect ratio inside the box, centred
        double fit = Math.min((double) bw / reference.width(), (double) bh / reference.height());
        int rw = Math.max(1, (int) (reference.width() * fit));
        int rh = Math.max(1, (int) (reference.height() * fit));
        FloatImage hf = sobel(ImageTensors.resize(reference, rw, rh));
        int ox = bx0 + (bw - rw) / 2;
        int oy = by0 + (bh - rh) / 2;
        int plane = resolution * resolution;
        float[] control = new float[4 * plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                control[c * plane + i] = 2 * crop.data()[c * plane + i] - 1;
            }
        }
        for (int y = by0; y < Math.min(resolution, by0 + bh); y++) {
            for (int x = bx0; x < Math.min(resolution, bx0 + bw); x++) {
                control[3 * plane + y * resolution + x] = 1;
                boolean inRef = x >= ox && x < ox + rw && y >= oy && y < oy + rh;
                for (int c = 0; c < 3; c++) {
                    control[c * plane + y * resolution + x] = inRef ? 2 * hf.get(c, x - ox, y - oy) - 1 : -1;
                }
            }
        }
        return new AnyDoorCollage(new int[] {x0, y0, side}, new Tensor(control, 1, 4, resolution, resolution));
    }

    /** The generated square put back where the crop came from. */
    public FloatImage pasteBack(FloatImage image, FloatImage generated) {
        FloatImage out = image.copy();
        FloatImage fitted = ImageTensors.resize(generated, crop[2], crop[2]);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < crop[2]; y++) {
                for (int x = 0; x < crop[2]; x++) {
                    out.set(c, crop[0] + x, crop[1] + y, fitted.get(c, x, y));
                }
            }
        }
        return out;
    }

    /** [x0, y0, x1, y1) of mask values above 0.5. */
    static int[] maskBox(FloatImage mask) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                if (mask.get(0, x, y) > 0.5f) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x + 1);
                    y1 = Math.max(y1, y + 1);
                }
            }
        }
        if (x1 < 0) {
            throw new IllegalArgumentException("mask is empty: AnyDoor needs the region to put the object into");
        }
        return new int[] {x0, y0, x1, y1};
    }

    static FloatImage cut(FloatImage image, int x0, int y0, int side) {
        FloatImage out = new FloatImage(side, side, image.channels());
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    out.set(c, x, y, image.get(c, x0 + x, y0 + y));
                }
            }
        }
        return out;
    }

    /** The image padded with white to a square, centred (AnyDoor pads references so). */
    public static FloatImage padToSquare(FloatImage image) {
        int side = Math.max(image.width(), image.height());
        FloatImage out = new FloatImage(side, side, image.channels());
        java.util.Arrays.fill(out.data(), 1f);
        int ox = (side - image.width()) / 2;
        int oy = (side - image.height()) / 2;
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < image.height(); y++) {
                for (int x = 0; x < image.width(); x++) {
                    out.set(c, ox + x, oy + y, image.get(c, x, y));
                }
            }
        }
        return out;
    }

    /** AnyDoor's high-frequency map: per channel |Sobel x| + |Sobel y| of the colour image, clamped to [0, 1]. */
    static FloatImage sobel(FloatImage src) {
        FloatImage out = new FloatImage(src.width(), src.height(), src.channels());
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < src.height(); y++) {
                for (int x = 0; x < src.width(); x++) {
                    float gx = 0;
                    float gy = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            float v = src.get(c, Math.max(0, Math.min(src.width() - 1, x + dx)),
                                    Math.max(0, Math.min(src.height() - 1, y + dy)));
                            int wx = dx * (dy == 0 ? 2 : 1);
                            int wy = dy * (dx == 0 ? 2 : 1);
                            gx += wx * v;
                            gy += wy * v;
                        }
                    }
                    out.set(c, x, y, Math.min(1f, Math.abs(gx) + Math.abs(gy)));
                }
            }
        }
        return out;
    }
}
