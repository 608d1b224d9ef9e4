package org.portraitgen.field.gl.internal.vk;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The GPU service's CNN for renders on the tensor cores ({@link VkCnn}, fp16 cooperative matrices), fed from the GL
 * rasterizer's feature image through a buffer shared between the two APIs ({@link GlToVkCnn}) where the drivers
 * allow, else through the host (GL read-back, Vulkan upload: ~50 ms at 512², far slower than the GL CNN).
 * {@code -Dportraitgen.gpu.cnn}: unset, it serves where cooperative matrices and sharing both work and the GL CNN
 * serves elsewhere; {@code vulkan-fp16} asks for it even through the host; {@code gl} keeps the GL CNN.
 */
public final class VkRenderCnn implements AutoCloseable {
    public static final String PROPERTY = "portraitgen.gpu.cnn";
    /**
     * Renders whose CNN may be in flight at once, per channel count: each has its own activations (~200 MB at 512²),
     * made on first need, so a caller that renders one frame at a time uses one.
     */
    public static final int MAX_IN_FLIGHT = 3;
    private static final System.Logger LOG = System.getLogger(VkRenderCnn.class.getName());

    private final GlContext gl;
    private final VkCompute vk;
    private final VkCnn.Precision precision;
    /** Shared slots made per feature-channel count; {@link #idle}: those not in a render now. */
    private final Map<Integer, List<GlToVkCnn>> made = new HashMap<>();
    private final Map<Integer, Deque<GlToVkCnn>> idle = new HashMap<>();
    /** Fewer than {@link #MAX_IN_FLIGHT} slots for a channel count where one more could not be made. */
    private final Map<Integer, Integer> limit = new HashMap<>();
    /** Slots being made now (outside the lock). */
    private int opening;
    private final Map<Integer, VkCnn> throughHost = new HashMap<>();
    /** Why features cross through the host, or null while they are shared on the GPU. */
    private String hostReason;
    private boolean closed;

    private VkRenderCnn(GlContext gl, VkCompute vk, VkCnn.Precision precision) {
        this.gl = gl;
        this.vk = vk;
        this.precision = precision;
    }

    /** What {@code -Dportraitgen.gpu.cnn} asks for. */
    public enum Request {
        /** Unset: Vulkan where it has tensor cores and shares memory with GL, else the GL CNN. */
        AUTO,
        GL,
        /** {@code vulkan-fp16}: Vulkan, through the host when memory cannot be shared. */
        VULKAN_FP16
    }

    /** The request in {@code -Dportraitgen.gpu.cnn}; a value that is none of them is an error naming the property. */
    public static Request requested() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Request.AUTO;
        }
        return switch (value.trim()) {
            case "gl" -> Request.GL;
            case "vulkan-fp16" -> Request.VULKAN_FP16;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + ": expected gl or vulkan-fp16");
        };
    }

    /**
     * For {@link Request#AUTO}: opens the Vulkan CNN only if it has tensor cores and its input buffer imports into
     * this GL context; otherwise throws {@link GlException} saying which is missing (the GL CNN serves).
     */
    public static VkRenderCnn openIfShared(GlContext gl, int featureChannels) {
        VkRenderCnn cnn = open(gl);
        try {
            GlToVkCnn first = GlToVkCnn.open(gl, cnn.vk, featureChannels, cnn.precision, VkCnn.Tiling.DEFAULT);
            synchronized (cnn) {
                cnn.made.computeIfAbsent(featureChannels, k -> new ArrayList<>()).add(first);
                cnn.idle.computeIfAbsent(featureChannels, k -> new ArrayDeque<>()).push(first);
            }
            return cnn;
        } catch (GlException e) {
            cnn.close();
            throw e;
        }
    }

    /**
     * Opens the Vulkan CNN beside the GL context; throws {@link VkException} naming why it cannot serve (no device,
     * no tensor cores).
     */
    public static VkRenderCnn open(GlContext gl) {
        return open(gl, VkCnn.Precision.FP16_COOPMAT);
    }

    /** As {@link #open(GlContext)} with the given precision (FP32: the fallback kernels, for tests on lavapipe). */
    public static VkRenderCnn open(GlContext gl, VkCnn.Precision precision) {
        VkCompute vk = VkCompute.open();
        if (precision == VkCnn.Precision.FP16_COOPMAT && !vk.capabilities().tensorCores()) {
            String device = vk.capabilities().deviceName();
            vk.close();
            throw new VkException("-D" + PROPERTY + "=vulkan-fp16: Vulkan device " + device
                    + " has no fp16 cooperative matrices; the GL CNN serves");
        }
        return new VkRenderCnn(gl, vk, precision);
    }

    public VkCapabilities capabilities() {
        return vk.capabilities();
    }

    /** How the features travel: "shared GPU buffer ..., ordered by ..." or "through the host (why)". */
    public synchronized String featurePath() {
        if (hostReason != null) {
            return "through the host (" + hostReason + ")";
        }
        for (List<GlToVkCnn> slots : made.values()) {
            if (!slots.isEmpty()) {
                GlToVkCnn s = slots.get(0);
                return "shared GPU buffer (GL_EXT_memory_object_fd), ordered by " + s.ordering() + ", RGB back "
                        + (s.rgbHostCached() ? "through host-cached memory" : "through uncached host memory");
            }
        }
        return "shared GPU buffer (GL_EXT_memory_object_fd)";
    }

    /** Renders in flight now at most (slots made), over all channel counts. */
    public synchronized int slotsMade() {
        return made.values().stream().mapToInt(List::size).sum();
    }

    /**
     * RGB [3, H, W] of the first C x H x W floats of the GL buffer {@code features} through the renderer's current
     * weights. Called off the GL thread; the caller keeps the buffer unchanged until this returns.
     */
    public float[] forward(NeuralRenderer net, GlBuffer features, int h, int w) {
        try (Job job = begin(net, h, w)) {
            gl.call(() -> {
                job.enqueue(features);
                return null;
            });
            return job.rgb();
        }
    }

    /**
     * Starts one render's CNN (off the GL thread): takes a free slot, or makes one while fewer than
     * {@link #MAX_IN_FLIGHT} exist for this channel count, else waits for one; packs the weights. Then
     * {@link Job#enqueue} on the GL thread right after the commands that write the features, {@link Job#rgb} off
     * it, and {@link Job#close} to give the slot back. Several jobs may be in flight: while one's CNN runs, the
     * next one's posing and rasterizing go ahead on the GL thread.
     */
    public Job begin(NeuralRenderer net, int h, int w) {
        int c = net.featureChannels;
        GlToVkCnn slot = takeSlot(c);
        Job job = new Job(net, c, h, w, slot);
        try {
            if (slot != null) {
                slot.prepare(net);
            }
        } catch (RuntimeException | Error e) {
            job.close();
            throw e;
        }
        return job;
    }

    /** A free shared slot for {@code c} channels, or null when features cross through the host. */
    private GlToVkCnn takeSlot(int c) {
        while (true) {
            synchronized (this) {
                while (true) {
                    if (closed) {
                        throw new VkException("the Vulkan render CNN is closed");
                    }
                    if (hostReason != null) {
                        return null;
                    }
                    Deque<GlToVkCnn> free = idle.computeIfAbsent(c, k -> new ArrayDeque<>());
                    if (!free.isEmpty()) {
                        return free.pop();
                    }
                    List<GlToVkCnn> slots = made.computeIfAbsent(c, k -> new ArrayList<>());
                    if (slots.size() + opening < limit.getOrDefault(c, MAX_IN_FLIGHT)) {
                        opening++;
                        break;
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new VkException("interrupted while waiting for a free Vulkan CNN");
                    }
                }
            }
            // opened outside the lock: it runs GL work, and other renders give slots back meanwhile
            GlToVkCnn s = null;
            RuntimeException failure = null;
            try {
                s = GlToVkCnn.open(gl, vk, c, precision, VkCnn.Tiling.DEFAULT);
            } catch (GlException | IllegalArgumentException e) { // a bad -Dportraitgen.gpu.cnn.sync too
                failure = e;
            }
            synchronized (this) {
                opening--;
                notifyAll();
                List<GlToVkCnn> slots = made.computeIfAbsent(c, k -> new ArrayList<>());
                if (s != null) {
                    if (closed) {
                        s.close();
                        throw new VkException("the Vulkan render CNN is closed");
                    }
                    slots.add(s);
                    return s;
                }
                if (slots.isEmpty()) {
                    hostReason = failure.getMessage(); // not even one: the features go through the host
                    return null;
                }
                // out of memory for one more, say: fewer renders in flight, the ones made keep serving
                limit.put(c, slots.size());
                LOG.log(Level.INFO, "Vulkan render CNN: " + slots.size() + " renders in flight at most ("
                        + failure.getMessage() + ")");
            }
        }
    }

    private synchronized void giveBack(int c, GlToVkCnn slot) {
        if (closed) {
            return;
        }
        idle.computeIfAbsent(c, k -> new ArrayDeque<>()).push(slot);
        notifyAll();
    }

    /** One render's CNN between {@link VkRenderCnn#begin} and {@link #close}; see there. */
    public final class Job implements AutoCloseable {
        private final NeuralRenderer net;
        private final int c;
        private final int h;
        private final int w;
        /** The shared slot, or null: the features cross through the host. */
        private final GlToVkCnn slot;
        private float[] hostFeatures;
        private boolean enqueued;
        private boolean done;

        private Job(NeuralRenderer net, int c, int h, int w, GlToVkCnn slot) {
            this.net = net;
            this.c = c;
            this.h = h;
            this.w = w;
            this.slot = slot;
        }

        /** On the GL thread, after the commands that write {@code features}: hands them to the CNN. */
        public void enqueue(GlBuffer features) {
            if (enqueued) {
                throw new IllegalStateException("this render's CNN is already under way");
            }
            enqueued = true;
            if (slot != null) {
                slot.enqueue(features, h, w);
            } else {
                hostFeatures = features.readFloats(c * h * w);
            }
        }

        /**
         * On the GL thread, after {@link #enqueue}, before {@link #rgb}: the features handed over were wrong (the
         * frame has been rendered again since, e.g. its tiles did not fit the rasterizer's pair buffers); hands the
         * new ones to the CNN instead, and {@link #rgb} gives their RGB. With a shared slot this waits for the first
         * submit (its input buffer is the slot's), so it is for the rare redo, not for every render.
         */
        public void enqueueAgain(GlBuffer features) {
            if (!enqueued) {
                throw new IllegalStateException("enqueueAgain() before enqueue()");
            }
            if (done) {
                throw new IllegalStateException("enqueueAgain() after rgb()");
            }
            if (slot != null) {
                slot.enqueue(features, h, w);
            } else {
                hostFeatures = features.readFloats(c * h * w);
            }
        }

        /** RGB [3, H, W], waiting for the GPU (off the GL thread). */
        public float[] rgb() {
            if (!enqueued) {
                throw new IllegalStateException("rgb() before enqueue()");
            }
            if (slot != null) {
                float[] rgb = slot.await();
                done = true;
                return rgb;
            }
            VkCnn cnn;
            synchronized (VkRenderCnn.this) {
                cnn = throughHost.computeIfAbsent(c, k -> new VkCnn(vk, k, precision));
            }
            synchronized (cnn) { // the weights and the forward of one render together
                cnn.uploadParameters(net);
                return cnn.forward(hostFeatures, h, w);
            }
        }

        /** GPU times of this job's CNN (its slot's last forward), after {@link #rgb}; null through the host. */
        public VkCnn.Timing gpuTiming() {
            return slot == null ? null : slot.lastTiming();
        }

        /** Host ns of {@link #rgb}: {waiting for the GPU, copying the RGB out}; null through the host. */
        public long[] awaitNs() {
            return slot == null ? null : slot.lastAwaitNs();
        }

        /** Gives the slot back, after waiting for the GPU if {@link #rgb} was not called (a failed render). */
        @Override
        public void close() {
            if (slot == null) {
                return;
            }
            try {
                if (enqueued && !done) {
                    slot.await();
                }
            } catch (RuntimeException e) { // the render failed already; its slot can serve the next one
                LOG.log(Level.DEBUG, "Vulkan CNN of a failed render: " + e.getMessage());
            } finally {
                giveBack(c, slot);
            }
        }
    }

    @Override
    public void close() {
        List<GlToVkCnn> slots = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            made.values().forEach(slots::addAll);
            made.clear();
            idle.clear();
        }
        // outside the lock: closing a slot runs GL work (a render in flight may hold the GL thread meanwhile)
        slots.forEach(GlToVkCnn::close);
        synchronized (this) {
            throughHost.values().forEach(VkCnn::close);
            throughHost.clear();
        }
        vk.close();
    }
}
