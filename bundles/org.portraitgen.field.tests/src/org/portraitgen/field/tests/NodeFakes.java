package org.portraitgen.field.tests;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleConsumer;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.api.video.VideoProbe;

/**
 * Test doubles of the api services the field nodes consume, registered in the test framework: a tracker that reads
 * only folders marked as sphere trackings (until the tracking bundle lands), in-memory frame stores, and a node
 * context that records metrics and can cancel after a number of metric reports.
 */
final class NodeFakes {
    private NodeFakes() {
    }

    static final class SphereTracker implements Tracker {
        static final String MARKER = "sphere-rig.txt";
        final SphereRig rig;

        SphereTracker(SphereRig rig) {
            this.rig = rig;
        }

        @Override
        public String id() {
            return "test-sphere";
        }

        @Override
        public String label() {
            return "synthetic sphere (tests)";
        }

        @Override
        public void track(FrameStore frames, FrameStore masks, Path outputDir, NodeContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Rig load(Path dir) throws IOException {
            if (!Files.exists(dir.resolve(MARKER))) {
                throw new IOException("no " + MARKER + " in " + dir);
            }
            return rig;
        }
    }

    /** Frame stores held in memory, keyed by folder. */
    static final class MemoryVideoIO implements VideoIO {
        final Map<Path, MemoryStore> stores = new ConcurrentHashMap<>();

        Path put(Path dir, List<FloatImage> images) {
            stores.put(dir, new MemoryStore(dir, images, 25));
            return dir;
        }

        @Override
        public FrameStore open(Path dir) throws IOException {
            MemoryStore s = stores.get(dir);
            if (s == null) {
                throw new IOException("no frame store in " + dir);
            }
            return s;
        }

        @Override
        public FrameStoreWriter create(Path dir, int width, int height, int channels, double fps) {
            List<FloatImage> images = new ArrayList<>();
            return new FrameStoreWriter() {
                @Override
                public void append(BufferedImage frame, long t) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void append(FloatImage frame, long t) {
                    if (frame.width() != width || frame.height() != height || frame.channels() != channels) {
                        throw new IllegalArgumentException("frame " + frame + " does not fit " + width + "x" + height);
                    }
                    images.add(frame);
                }

                @Override
                public void inheritAudio(FrameStore source) {
                }

                @Override
                public FrameStore finish() {
                    MemoryStore s = new MemoryStore(dir, images, fps);
                    stores.put(dir, s);
                    return s;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public VideoProbe probe(Path video) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FrameStore decode(Path video, Path storeDir, DecodeOptions options, DoubleConsumer progress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void encodeMp4(FrameStore frames, Path output, EncodeOptions options, DoubleConsumer progress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void encodePngSequence(FrameStore frames, Path outputDir, DoubleConsumer progress) {
            throw new UnsupportedOperationException();
        }
    }

    record MemoryStore(Path directory, List<FloatImage> images, double fps) implements FrameStore {
        @Override
        public FrameStoreInfo info() {
            FloatImage f = images.get(0);
            List<Long> ts = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                ts.add(Math.round(i * 1e6 / fps));
            }
            return new FrameStoreInfo(f.width(), f.height(), f.channels(), fps, images.size(), ts, null, "memory");
        }

        @Override
        public BufferedImage readImage(int index) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FloatImage read(int index) {
            return images.get(index).copy();
        }
    }

    static final class Context implements NodeContext {
        final Map<String, Object> parameters = new HashMap<>();
        final Map<String, Path> inputs = new HashMap<>();
        final List<String> metrics = Collections.synchronizedList(new ArrayList<>());
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final Path root;
        final Path checkpoints;
        int cancelAfterMetrics = -1;

        Context(Path root, Path checkpoints) {
            this.root = root;
            this.checkpoints = checkpoints;
        }

        @Override
        public String runId() {
            return "test";
        }

        @Override
        public String nodeId() {
            return "n1";
        }

        @Override
        public NodeParameters parameters() {
            return new NodeParameters(parameters);
        }

        @Override
        public Optional<Path> input(String port) {
            return Optional.ofNullable(inputs.get(port));
        }

        @Override
        public Path output(String port) {
            return mkdirs(root.resolve(port));
        }

        @Override
        public Path checkpoints() {
            return mkdirs(checkpoints);
        }

        private static Path mkdirs(Path p) {
            try {
                return Files.createDirectories(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public void metric(String name, long step, double value) {
            metrics.add(name + "@" + step + "=" + value);
        }

        @Override
        public void log(String line) {
            log.add(line);
        }

        @Override
        public boolean isCancelled() {
            return cancelAfterMetrics >= 0 && metrics.size() >= cancelAfterMetrics;
        }
    }
}
