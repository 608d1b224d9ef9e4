package org.portraitgen.video.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** PNG files of a frame store: names {@code 000000.png, 000001.png, ...}, 8-bit RGB or grey, lossless. */
final class Pngs {

    private Pngs() {
    }

    static String frameName(int index) {
        return String.format("%06d.png", index);
    }

    static void write(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("No PNG writer for image type " + image.getType() + " writing " + file);
        }
    }

    static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Frame " + file + " is missing");
        }
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("Frame " + file + " is not a readable PNG");
        }
        return image;
    }
}
