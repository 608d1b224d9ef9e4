package org.portraitgen.tracking.dlib.internal;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.portraitgen.core.Images;

/**
 * {@code bench} entry for the Java shape predictor: model load time and time per face. Usage: {@code Dlib68Bench
 * IMAGE LEFT TOP RIGHT BOTTOM [MODEL]} (an RGB image file and dlib's inclusive face box in its pixels).
 */
public final class Dlib68Bench {

    private Dlib68Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: Dlib68Bench IMAGE LEFT TOP RIGHT BOTTOM [MODEL]");
            System.exit(2);
        }
        Path model = Path.of(args.length > 5 ? args[5] : Dlib68Node.DEFAULT_MODEL);
        BufferedImage img = ImageIO.read(Path.of(args[0]).toFile());
        if (img == null) {
            throw new IllegalArgumentException(args[0] + " is not an image ImageIO reads");
        }
        GrayImage grey = GrayImage.of(Images.toFloat(img, 3));
        ShapePredictor.Box box = new ShapePredictor.Box(Long.parseLong(args[1]), Long.parseLong(args[2]),
                Long.parseLong(args[3]), Long.parseLong(args[4]));
        var os = ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "# machine: %d cores, %s %s, Java %s, load average %.1f at start%n",
                Runtime.getRuntime().availableProcessors(), os.getName(), os.getArch(),
                System.getProperty("java.version"), os.getSystemLoadAverage());
        long wall = System.nanoTime(), cpu = threads.getCurrentThreadCpuTime();
        ShapePredictor sp = ShapePredictor.read(model);
        double loadWall = (System.nanoTime() - wall) / 1e6, loadCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
        for (int i = 0; i < 50; i++) { // warm-up for the JIT
            sp.predict(grey, box);
        }
        int runs = 500;
        wall = System.nanoTime();
        cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < runs; i++) {
            sp.predict(grey, box);
        }
        double faceWall = (System.nanoTime() - wall) / 1e6 / runs;
        double faceCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / runs;
        System.out.println("image size box parts levels trees loadWallMs loadCpuMs faceWallMs faceCpuMs");
        System.out.printf(Locale.ROOT, "%s %dx%d %dx%d %d %d %d %.0f %.0f %.3f %.3f%n", Path.of(args[0]).getFileName(),
                grey.width(), grey.height(), box.right() - box.left() + 1, box.bottom() - box.top() + 1, sp.parts(),
                sp.cascadeLevels(), sp.treesPerLevel(0), loadWall, loadCpu, faceWall, faceCpu);
    }
}
