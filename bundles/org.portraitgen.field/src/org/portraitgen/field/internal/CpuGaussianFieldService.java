package org.portraitgen.field.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.CnnEngines;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * The CPU reference implementation of {@link GaussianFieldService}, and the fallback where no GPU context opens.
 * Owns its fields in a map keyed by handle id and one worker pool sized to the machine.
 */
@Component(service = GaussianFieldService.class, property = {"portraitgen.field.backend=cpu",
        "service.ranking:Integer=0"})
public class CpuGaussianFieldService implements GaussianFieldService {
    private final Map<String, GaussianField> fields = new ConcurrentHashMap<>();
    /** Forward-only CNN engines with each field's weights baked in, built on first render. */
    private final Map<String, CnnEngine> engines = new ConcurrentHashMap<>();
    private Workers workers;
    private Rasterizer rasterizer;

    @Activate
    public void activate() {
        workers = new Workers(Runtime.getRuntime().availableProcessors());
        rasterizer = new Rasterizer(workers);
    }

    @Deactivate
    public void deactivate() {
        fields.clear();
        engines.values().forEach(CnnEngine::close);
        engines.clear();
        workers.close();
    }

    @Override
    public String backend() {
        return "cpu";
    }

    /** Registers a field built in this process (by lifting) and returns its handle. */
    public FieldHandle adopt(GaussianField field) {
        String id = UUID.randomUUID().toString();
        fields.put(id, field);
        return new FieldHandle(id, field.local.count, field.local.channels);
    }

    @Override
    public FieldHandle load(Path checkpoint) throws IOException {
        return adopt(Checkpoints.read(checkpoint).field());
    }

    @Override
    public void save(FieldHandle field, Path checkpoint) throws IOException {
        Checkpoints.write(checkpoint, get(field), null);
    }

    @Override
    public FloatImage render(FieldHandle field, RigState state) throws IOException {
        GaussianField f = get(field);
        CnnEngine engine = engines.computeIfAbsent(field.id(),
                id -> CnnEngines.rendering(f.renderer, workers, System.err::println));
        synchronized (engine) { // an ORT session runs one request at a time here: its threads are the machine's
            try (GaussianField.Frame frame = f.render(state, rasterizer, engine)) {
                return new FloatImage(frame.camera().width(), frame.camera().height(), 3, frame.rgb());
            }
        }
    }

    @Override
    public void release(FieldHandle field) {
        fields.remove(field.id());
        CnnEngine e = engines.remove(field.id());
        if (e != null) {
            e.close();
        }
    }

    private GaussianField get(FieldHandle h) {
        GaussianField f = fields.get(h.id());
        if (f == null) {
            throw new IllegalArgumentException("no field with handle " + h.id() + " (released, or from another"
                    + " service)");
        }
        return f;
    }
}
