package org.portraitgen.workbench.internal.viewport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.field.GaussianFieldService.FieldHandle;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.Tracker;

/**
 * Renders a lifted field live for the viewport: loads the checkpoint into the best field service (the GPU one
 * unless the preferences turn it off) and the tracking through the installed trackers, then renders any frame's
 * pose seen from an {@link Orbit}. All service calls run on one background thread, so the display thread never
 * waits; a newer request supersedes one not yet started. Services are looked up per request and not kept past it.
 */
public final class FieldPreview implements AutoCloseable {
    /** The field port's folder holds this file (as the field bundle writes it). */
    public static final String CHECKPOINT = "field.ckpt";
    private final ServiceTracker<GaussianFieldService, GaussianFieldService> fields;
    private final ServiceTracker<Tracker, Tracker> trackers;
    private final BooleanSupplier gpuAllowed;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "viewport field preview");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong latest = new AtomicLong();
    private Loaded loaded; // touched only on the worker thread

    /** A field in a service and the rig that poses it. */
    private record Loaded(Path checkpoint, Path tracking, GaussianFieldService service, FieldHandle handle, Rig rig) {
    }

    /** One render: the picture and what made it. */
    public record Rendered(FloatImage image, int frame, Orbit orbit, String backend, int frameCount, long millis) {
    }

    public FieldPreview(BundleContext context, BooleanSupplier gpuAllowed) {
        this.gpuAllowed = gpuAllowed;
        fields = new ServiceTracker<>(context, GaussianFieldService.class, null);
        trackers = new ServiceTracker<>(context, Tracker.class, null);
        fields.open();
        trackers.open();
    }

    /** True when {@code dir} is a field port's folder. */
    public static boolean isField(Path dir) {
        return dir != null && Files.isRegularFile(dir.resolve(CHECKPOINT));
    }

    /**
     * Renders {@code frame} of the tracking seen from {@code orbit}, long side {@code longSide} pixels. Completes
     * with null when a newer request came first.
     */
    public CompletableFuture<Rendered> render(Path fieldDir, Path trackingDir, int frame, Orbit orbit, int longSide) {
        long id = latest.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> {
            if (id != latest.get()) {
                return null;
            }
            try {
                Loaded l = load(fieldDir.resolve(CHECKPOINT), trackingDir);
                long start = System.nanoTime();
                int f = Math.max(0, Math.min(frame, l.rig.frameCount() - 1));
                var state = l.rig.state(f);
                double s = (double) longSide / Math.max(state.camera().width(), state.camera().height());
                int w = Math.max(1, (int) Math.round(state.camera().width() * s));
                int h = Math.max(1, (int) Math.round(state.camera().height() * s));
                FloatImage img = l.service.render(l.handle, orbit.apply(state, w, h));
                return new Rendered(img, f, orbit, l.service.backend(), l.rig.frameCount(),
                        (System.nanoTime() - start) / 1_000_000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, worker);
    }

    private Loaded load(Path checkpoint, Path tracking) throws IOException {
        GaussianFieldService service = best();
        if (loaded != null && loaded.checkpoint.equals(checkpoint) && loaded.tracking.equals(tracking)
                && loaded.service == service) {
            return loaded;
        }
        releaseLoaded();
        Rig rig = rig(tracking);
        FieldHandle handle = service.load(checkpoint);
        loaded = new Loaded(checkpoint, tracking, service, handle, rig);
        return loaded;
    }

    private GaussianFieldService best() throws IOException {
        ServiceReference<GaussianFieldService>[] refs = fields.getServiceReferences();
        ServiceReference<GaussianFieldService> best = null;
        for (ServiceReference<GaussianFieldService> r : refs == null ? List.<ServiceReference<GaussianFieldService>>of()
                : List.of(refs)) {
            boolean cpu = "cpu".equals(r.getProperty("portraitgen.field.backend"));
            if ((cpu || gpuAllowed.getAsBoolean()) && (best == null || r.compareTo(best) > 0)) {
                best = r; // compareTo orders by ranking, then by age
            }
        }
        GaussianFieldService s = best == null ? null : fields.getService(best);
        if (s == null) {
            throw new IOException("no Gaussian field service is installed (bundle org.portraitgen.field)");
        }
        return s;
    }

    private Rig rig(Path tracking) throws IOException {
        List<String> reasons = new ArrayList<>();
        Object[] all = trackers.getServices();
        for (Object o : all == null ? new Object[0] : all) {
            try {
                Rig r = ((Tracker) o).load(tracking);
                if (r.frameCount() > 0) {
                    return r;
                }
                reasons.add(((Tracker) o).id() + ": no frames");
            } catch (IOException | RuntimeException e) {
                reasons.add(((Tracker) o).id() + ": " + e.getMessage());
            }
        }
        throw new IOException(all == null ? "no tracker is installed to read the tracking " + tracking
                + " (bundle org.portraitgen.tracking)" : "no tracker reads " + tracking + ": " + reasons);
    }

    private void releaseLoaded() {
        if (loaded != null) {
            try {
                loaded.service.release(loaded.handle);
            } catch (RuntimeException gone) {
                // the service left with its fields
            }
            loaded = null;
        }
    }

    /** The backends installed now, best first, for the viewport's status line. */
    public String backends() {
        ServiceReference<GaussianFieldService>[] refs = fields.getServiceReferences();
        return refs == null ? "none" : String.join(", ", java.util.Arrays.stream(refs).sorted(
                java.util.Comparator.reverseOrder()).map(r -> Objects.toString(r.getProperty(
                        "portraitgen.field.backend"), "?")).toList());
    }

    @Override
    public void close() {
        latest.incrementAndGet();
        worker.execute(() -> { // after any render in flight, which may still use the service
            releaseLoaded();
            fields.close();
            trackers.close();
        });
        worker.shutdown();
    }

}
