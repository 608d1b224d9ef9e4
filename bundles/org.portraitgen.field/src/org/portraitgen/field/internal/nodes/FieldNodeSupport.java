package org.portraitgen.field.internal.nodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;

/** Parameters with defaults, inputs, the rig and resampling shared by the field node types. */
public final class FieldNodeSupport {
    /** The field port's folder holds this checkpoint file. */
    public static final String CHECKPOINT = "field.ckpt";

    /** System property: most Gaussians a field may have (a mistyped density must not fill the heap). */
    static final String MAX_GAUSSIANS_PROPERTY = "portraitgen.field.maxGaussians";
    /** About 15 times the paper's 34k Gaussians of a 185² UV map. */
    static final int DEFAULT_MAX_GAUSSIANS = 500_000;

    private final NodeContext context;
    private final NodeDescriptor descriptor;

    static int maxGaussians() {
        return Integer.getInteger(MAX_GAUSSIANS_PROPERTY, DEFAULT_MAX_GAUSSIANS);
    }

    /** Refuses a field of more Gaussians than {@link #maxGaussians()}; {@code what} says where the count is from. */
    void requireGaussianLimit(long count, String what) throws InvalidInputException {
        int max = maxGaussians();
        if (count > max) {
            throw invalid(what + " has " + count + " Gaussians, more than the limit of " + max + " (system property "
                    + MAX_GAUSSIANS_PROPERTY + ")");
        }
    }

    /**
     * Refuses work whose estimated heap need exceeds what this JVM may use, before any of it is allocated, instead
     * of an OutOfMemoryError halfway through.
     */
    void requireMemory(long bytes, String what) throws InvalidInputException {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max * 0.9) {
            throw invalid(what + " needs about " + bytes / (1 << 20) + " MiB of memory, but this process may use "
                    + max / (1 << 20) + " MiB; lower it or give the worker more (PORTRAITGEN_JVM_OPTS=-Xmx...)");
        }
    }

    public FieldNodeSupport(NodeContext context, NodeDescriptor descriptor) {
        this.context = context;
        this.descriptor = descriptor;
    }

    public NodeException failure(String what, Throwable cause) {
        return new NodeException(prefix() + what, cause);
    }

    public InvalidInputException invalid(String what) {
        return new InvalidInputException(prefix() + what);
    }

    private String prefix() {
        return "node '" + context.nodeId() + "' (" + descriptor.type() + "): ";
    }

    private Object value(String name) throws NodeException {
        Object v = context.parameters().asMap().get(name);
        if (v == null) {
            ParameterSpec spec = descriptor.parameter(name).orElseThrow();
            v = spec.defaultValue();
            if (v == null) {
                throw invalid("parameter '" + name + "' is required");
            }
        }
        return v;
    }

    public int integer(String name) throws NodeException {
        Object v = value(name);
        int i;
        try {
            i = v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid("parameter '" + name + "' is not an integer: " + v);
        }
        ParameterSpec spec = descriptor.parameter(name).orElseThrow();
        if ((spec.min() != null && i < spec.min()) || (spec.max() != null && i > spec.max())) {
            throw invalid("parameter '" + name + "' = " + i + " is outside [" + spec.min().intValue() + ", "
                    + spec.max().intValue() + "]");
        }
        return i;
    }

    public double number(String name) throws NodeException {
        Object v = value(name);
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid("parameter '" + name + "' is not a number: " + v);
        }
        ParameterSpec spec = descriptor.parameter(name).orElseThrow();
        if (!Double.isFinite(d) || (spec.min() != null && d < spec.min()) || (spec.max() != null && d > spec.max())) {
            throw invalid("parameter '" + name + "' = " + d + " is outside [" + spec.min() + ", " + spec.max() + "]");
        }
        return d;
    }

    public String text(String name) throws NodeException {
        return value(name).toString();
    }

    public boolean bool(String name) throws NodeException {
        Object v = value(name);
        if (v instanceof Boolean b) {
            return b;
        }
        String t = v.toString().trim();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
        }
        throw invalid("parameter '" + name + "' is not true or false: " + v);
    }

    public Path path(String name) throws NodeException {
        return Path.of(value(name).toString());
    }

    public Path input(String port) throws NodeException {
        return context.input(port).orElseThrow(() -> invalid("input '" + port + "' is not connected"));
    }

    public FrameStore frames(VideoIO io, Path dir, String port) throws NodeException {
        if (io == null) {
            throw failure("no VideoIO service is installed (bundle org.portraitgen.video) to read input '" + port
                    + "'", null);
        }
        try {
            return io.open(dir);
        } catch (IOException e) {
            throw failure("input '" + port + "': " + e.getMessage(), e);
        }
    }

    /**
     * Reads the tracking folder with the first installed {@link Tracker} that can. There is no fallback reader: a
     * field bound to a made-up rig would be worse than a clear failure.
     */
    public Rig rig(List<Tracker> trackers, Path dir) throws NodeException {
        if (trackers.isEmpty()) {
            throw failure("no Tracker service is installed to read the tracking folder " + dir
                    + " (install the tracking bundle, org.portraitgen.tracking)", null);
        }
        List<String> reasons = new ArrayList<>();
        for (Tracker t : trackers) {
            try {
                Rig rig = t.load(dir);
                if (rig.frameCount() < 1) {
                    throw invalid("tracking folder " + dir + " has no frames");
                }
                return rig;
            } catch (IOException | RuntimeException e) {
                reasons.add(t.id() + ": " + e.getMessage());
            }
        }
        throw invalid("no installed Tracker can read the tracking folder " + dir + " (" + String.join("; ", reasons)
                + ")");
    }

    /** The rig state with its camera scaled by {@code s} (pixel centres kept aligned); vertices are unchanged. */
    public static RigState scaled(RigState state, int width, int height) {
        Camera c = state.camera();
        if (c.width() == width && c.height() == height) {
            return state;
        }
        double sx = (double) width / c.width();
        double sy = (double) height / c.height();
        Camera scaled = new Camera(width, height, c.fx() * sx, c.fy() * sy, (c.cx() + 0.5) * sx - 0.5,
                (c.cy() + 0.5) * sy - 0.5, c.rotation(), c.translation());
        return new RigState(state.frame(), scaled, state.vertices(), state.expression(), state.tracked());
    }

    /** Output size for a long side of {@code resolution} (0: keep), aspect kept. */
    public static int[] size(int width, int height, int resolution) {
        if (resolution <= 0) {
            return new int[] {width, height};
        }
        double s = (double) resolution / Math.max(width, height);
        return new int[] {Math.max(1, (int) Math.round(width * s)), Math.max(1, (int) Math.round(height * s))};
    }

    /** Area-averaging resample (each output pixel the mean of the source pixels it covers; bilinear-free). */
    public static FloatImage resize(FloatImage in, int w, int h) {
        if (in.width() == w && in.height() == h) {
            return in;
        }
        FloatImage out = new FloatImage(w, h, in.channels());
        double sx = (double) in.width() / w;
        double sy = (double) in.height() / h;
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < h; y++) {
                int y0 = (int) Math.floor(y * sy);
                int y1 = Math.max(y0 + 1, Math.min(in.height(), (int) Math.ceil((y + 1) * sy)));
                for (int x = 0; x < w; x++) {
                    int x0 = (int) Math.floor(x * sx);
                    int x1 = Math.max(x0 + 1, Math.min(in.width(), (int) Math.ceil((x + 1) * sx)));
                    double sum = 0;
                    for (int yy = y0; yy < y1; yy++) {
                        for (int xx = x0; xx < x1; xx++) {
                            sum += in.get(c, xx, yy);
                        }
                    }
                    out.set(c, x, y, (float) (sum / ((y1 - y0) * (x1 - x0))));
                }
            }
        }
        return out;
    }

    /**
     * A node's publish step: copies {@code file} of output {@code port} atomically to {@code target} (the node's
     * {@code output} parameter), a failure naming that parameter and the path.
     */
    public void publishOutput(String port, String file, Path target) throws NodeException {
        Path to = target.toAbsolutePath().normalize();
        try {
            copyAtomically(context.output(port).resolve(file), to);
        } catch (IOException e) {
            throw failure("parameter 'output': cannot write " + to + ": " + e.getMessage(), e);
        }
    }

    /** Copies a file into place atomically (temp file beside the target, then an atomic rename). */
    public static void copyAtomically(Path source, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
        try {
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
