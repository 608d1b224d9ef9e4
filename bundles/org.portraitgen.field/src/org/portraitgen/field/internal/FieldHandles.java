package org.portraitgen.field.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.portraitgen.api.field.GaussianFieldService.FieldHandle;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.CnnEngines;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * The fields a {@code GaussianFieldService} owns, by handle, with each field's forward-only neural-renderer engine
 * (ONNX Runtime when it loads, else plain Java), built on first render. Shared by the CPU and the GPU services, so
 * both read the same checkpoints and render through the same engine.
 */
public final class FieldHandles implements AutoCloseable {
    private final Map<String, GaussianField> fields = new ConcurrentHashMap<>();
    private final Map<String, CnnEngine> engines = new ConcurrentHashMap<>();
    private final Workers workers;

    public FieldHandles(Workers workers) {
        this.workers = workers;
    }

    /** Registers a field built in this process (by lifting) and returns its handle. */
    public FieldHandle adopt(GaussianField field) {
        String id = UUID.randomUUID().toString();
        fields.put(id, field);
        return new FieldHandle(id, field.local.count, field.local.channels);
    }

    public FieldHandle load(Path checkpoint) throws IOException {
        return adopt(Checkpoints.read(checkpoint).field());
    }

    public void save(FieldHandle field, Path checkpoint) throws IOException {
        Checkpoints.write(checkpoint, get(field), null);
    }

    public GaussianField get(FieldHandle h) {
        GaussianField f = fields.get(h.id());
        if (f == null) {
            throw new IllegalArgumentException("no field with handle " + h.id() + " (released, or from another"
                    + " service)");
        }
        return f;
    }

    /** The field's rendering engine; callers synchronise on it (an ORT session serves one request at a time). */
    public CnnEngine renderingEngine(FieldHandle h) {
        GaussianField f = get(h);
        return engines.computeIfAbsent(h.id(), id -> CnnEngines.rendering(f.renderer, workers, System.err::println));
    }

    public void release(FieldHandle h) {
        fields.remove(h.id());
        CnnEngine e = engines.remove(h.id());
        if (e != null) {
            e.close();
        }
    }

    @Override
    public void close() {
        fields.clear();
        engines.values().forEach(CnnEngine::close);
        engines.clear();
    }
}
