package org.portraitgen.tracking.internal.bench;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.Images;
import org.portraitgen.tracking.internal.face.BlazeFaceDetector;
import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;
import org.portraitgen.tracking.internal.face.FaceLandmarker;
import org.portraitgen.tracking.internal.matte.Matting;
import org.portraitgen.tracking.internal.models.ModelFiles;
import org.portraitgen.tracking.internal.overlay.OverlayPainter;
import org.portraitgen.tracking.internal.rig.Coverage;
import org.portraitgen.tracking.internal.track.Clip;
import org.portraitgen.tracking.internal.track.ClipTracker;
import org.portraitgen.tracking.internal.track.TrackOptions;
import org.portraitgen.tracking.internal.track.TrackResult;

/**
 * {@code bench} entry: for each clip, Matte and Track frames per second, reprojection error of the rig's landmark
 * vertices (mean, p95, px), jitter and lag; with {@code --screenshots DIR} also overlay PNGs of a few frames.
 * Usage: {@code TrackingBench [--screenshots DIR] [--size N] [--frames N] [--step K] CLIP.mp4...}; {@code --frames}
 * takes N frames of each clip, every K-th with {@code --step} (default all; jitter and lag then describe the sampled
 * sequence; every frame is held in memory, about 4 MB per frame and mask at 512²,
 * so d6's 1000 frames need a limit or a large heap).
 */
public final class TrackingBench {

    private TrackingBench() {
    }

    public static void main(String[] args) throws Exception {
        Path shots = null;
        int size = 512;
        int maxFrames = Integer.MAX_VALUE;
        int step = 1;
        List<String> clips = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
            case "--screenshots" -> shots = Path.of(args[++i]);
            case "--size" -> size = Integer.parseInt(args[++i]);
            case "--frames" -> maxFrames = Integer.parseInt(args[++i]);
            case "--step" -> step = Integer.parseInt(args[++i]);
            default -> clips.add(args[i]);
            }
        }
        ModelFiles models = ModelFiles.fromEnvironment();
        CanonicalFaceMesh mesh = CanonicalFaceMesh.read(models.require(ModelFiles.CANONICAL_MESH));
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("# machine: %d cores, %s %s, Java %s, load average %.1f at start (timings are wall-clock)%n",
                Runtime.getRuntime().availableProcessors(), os.getName(), os.getArch(),
                System.getProperty("java.version"), os.getSystemLoadAverage());
        System.out.println("clip frames size matteFps trackFps reprojMeanPx reprojP95Px jitterRawPx jitterSmoothPx"
                + " lagFrames rotJitterRawDeg rotJitterDeg transJitterRawMm transJitterMm maskCoverage");
        for (String c : clips) {
            List<FloatImage> frames = read(Path.of(c), size, maxFrames, step);
            List<FloatImage> masks = new ArrayList<>();
            long t0 = System.nanoTime();
            try (Matting matting = new Matting(models.require(ModelFiles.SELFIE_SEGMENTATION), true, 0.7)) {
                for (FloatImage f : frames) {
                    masks.add(matting.next(f));
                }
            }
            double matteFps = frames.size() / ((System.nanoTime() - t0) / 1e9);
            TrackResult r;
            t0 = System.nanoTime();
            try (BlazeFaceDetector det = new BlazeFaceDetector(models.require(ModelFiles.FACE_DETECTION), 0.5);
                    FaceLandmarker lm = new FaceLandmarker(models.require(ModelFiles.FACE_LANDMARK))) {
                r = new ClipTracker(mesh, det, lm, TrackOptions.DEFAULT).track(clip(frames, masks), x -> {
                });
            }
            double trackFps = frames.size() / ((System.nanoTime() - t0) / 1e9);
            var s = r.stats();
            String name = Path.of(c).getFileName().toString();
            double coverage = 1;
            for (int f = 0; f < frames.size(); f += Math.max(1, frames.size() / 8)) {
                coverage = Math.min(coverage, Coverage.ofMask(r.topology().triangles(), r.vertices()[f], r.camera(),
                        masks.get(f).data()));
            }
            System.out.printf("%s %d %d %.1f %.1f %.3f %.3f %.3f %.3f %.1f %.3f %.3f %.3f %.3f %.4f%n", name,
                    frames.size(), size, matteFps, trackFps, s.reprojectionMean(), s.reprojectionP95(), s.jitterRaw(),
                    s.jitterSmoothed(), s.lagFrames(), s.rotationJitterRawDeg(), s.rotationJitterDeg(),
                    s.translationJitterRawMm(), s.translationJitterMm(), coverage);
            if (shots != null) {
                Files.createDirectories(shots);
                for (int f : new int[] { 0, frames.size() / 3, 2 * frames.size() / 3, frames.size() - 1 }) {
                    BufferedImage img = Images.toBufferedImage(frames.get(f));
                    OverlayPainter.paint(img, r.camera(), r.topology().triangles(), r.topology().faceVertexCount(),
                            r.vertices()[f], r.rawLandmarks()[f]);
                    ImageIO.write(img, "png", new File(shots.toFile(), name.replace(".mp4", "") + "_" + f + ".png"));
                }
            }
        }
    }

    private static List<FloatImage> read(Path video, int size, int maxFrames, int step) throws Exception {
        List<FloatImage> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
                Java2DFrameConverter conv = new Java2DFrameConverter()) {
            g.setImageWidth(size);
            g.setImageHeight(size);
            g.start();
            Frame f;
            for (int index = 0; out.size() < maxFrames && (f = g.grabImage()) != null; index++) {
                if (index % step == 0) {
                    out.add(Images.toFloat(conv.convert(f), 3));
                }
            }
        }
        return out;
    }

    private static Clip clip(List<FloatImage> frames, List<FloatImage> masks) {
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
                return masks.get(index);
            }
        };
    }
}
