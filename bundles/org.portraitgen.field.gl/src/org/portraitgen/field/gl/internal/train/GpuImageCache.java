package org.portraitgen.field.gl.internal.train;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.field.gl.internal.GlBuffer;

/**
 * The training frames' images (targets and masks) kept on the GPU between steps: a lift takes the same frames again
 * and again, and uploading a 512² RGB target cost about 1 ms of the GL thread per frame on the H100 machine
 * (SlotProbe), a sixth of a frame's GPU work. Keyed by the image object (weakly: an image the caller dropped goes
 * with its GPU copy at the next upload), least recently used first out beyond a byte budget, but never an image of
 * the current step.
 * A cheap fingerprint of each image (its size and 64 samples spread over its data) is checked on every use, so an
 * image whose pixels were changed in place is uploaded again; a change that misses all 64 samples is not seen, so
 * callers pass a new image for new pixels, as the dataset update does. On the GL thread.
 */
public final class GpuImageCache implements AutoCloseable {
    /** The budget asked for with {@code -Dportraitgen.gpu.targets.mib} (default 1024). */
    public static final String BUDGET_PROPERTY = "portraitgen.gpu.targets.mib";

    private static final int SAMPLES = 64;

    /** The image's identity, not its pixels (FloatImage's equals compares the pixels). */
    private static final class Key {
        final WeakReference<FloatImage> image;
        final int hash;

        Key(FloatImage image) {
            this.image = new WeakReference<>(image);
            this.hash = System.identityHashCode(image);
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            FloatImage mine = image.get();
            return o instanceof Key k && mine != null && mine == k.image.get();
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final class Entry {
        final GlBuffer buffer;
        long fingerprint;
        long step;

        Entry(GlBuffer buffer) {
            this.buffer = buffer;
        }
    }

    private final String name;
    private final long budgetBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long step;
    private long uploads;

    public GpuImageCache(String name, long budgetBytes) {
        this.name = name;
        this.budgetBytes = budgetBytes;
    }

    /** The budget from {@link #BUDGET_PROPERTY}, bytes. */
    public static long budgetRequested() {
        String v = System.getProperty(BUDGET_PROPERTY, "1024");
        try {
            long mib = Long.parseLong(v.trim());
            if (mib >= 0) {
                return mib << 20;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + BUDGET_PROPERTY + "=" + v + ": expected MiB of GPU memory for "
                + "training images (0 or more)");
    }

    /** Starts a step: images used from now on are kept until the next call. */
    public void beginStep() {
        step++;
    }

    /** {@code image} in a GPU buffer, uploaded if it is not there (or changed), as planar floats. */
    public GlBuffer get(FloatImage image) {
        long print = fingerprint(image);
        Key key = new Key(image);
        Entry e = entries.get(key);
        if (e != null && e.fingerprint == print) {
            e.step = step;
            return e.buffer;
        }
        if (e == null) {
            e = new Entry(new GlBuffer(name + " " + image.width() + "x" + image.height() + "x" + image.channels()));
            entries.put(key, e);
        }
        long before = e.buffer.capacity();
        e.buffer.upload(image.data());
        GlBuffer.checkError("uploading a " + image.width() + "x" + image.height() + " training image");
        bytes += e.buffer.capacity() - before;
        e.fingerprint = print;
        e.step = step;
        uploads++;
        evict();
        return e.buffer;
    }

    /** Drops images the caller dropped, then least recently used ones beyond the budget, but none of this step. */
    private void evict() {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> next = it.next();
            Entry e = next.getValue();
            boolean gone = next.getKey().image.get() == null;
            if (gone || (bytes > budgetBytes && e.step != step)) {
                bytes -= e.buffer.capacity();
                e.buffer.close();
                it.remove();
            }
        }
    }

    public static long fingerprint(FloatImage image) {
        float[] d = image.data();
        long h = ((long) image.width() * 31 + image.height()) * 31 + image.channels();
        long stride = Math.max(1, d.length / SAMPLES);
        for (long i = 0; i < d.length; i += stride) {
            h = h * 1_000_003L + Float.floatToRawIntBits(d[(int) i]);
        }
        return h;
    }

    /** Images uploaded so far (for tests and benches). */
    public long uploads() {
        return uploads;
    }

    public int size() {
        return entries.size();
    }

    public long bufferBytes() {
        return bytes;
    }

    @Override
    public void close() {
        entries.values().forEach(e -> e.buffer.close());
        entries.clear();
        bytes = 0;
    }
}
