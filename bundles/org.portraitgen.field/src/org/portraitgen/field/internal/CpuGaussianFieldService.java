package org.portraitgen.field.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * The CPU reference implementation of {@link GaussianFieldService}, and the fallback where no GPU context opens.
 * Owns its fields in a map keyed by handle id and one worker pool sized to the machine.
 */
@Component(service = GaussianFieldService.class, property = {"portraitgen.field.backend=cpu",
        "service.ranking:Integer=0"})
public class CpuGaussianFieldService implements GaussianFieldService {
    private Workers workers;
    private Rasterizer rasterizer;
    private FieldHandles fields;

    @Activate
    public void activate() {
        workers = new Workers(Runtime.getRuntime().availableProcessors());
        rasterizer = new Rasterizer(workers);
        fields = new FieldHandles(workers);
    }

    @Deactivate
    public void deactivate() {
        fields.close();
        workers.close();
    }

    @Override
    public String backend() {
        return "cpu";
    }

    /** Registers a field built in this process (by lifting) and returns its handle. */
    public FieldHandle adopt(GaussianField field) {
        return fields.adopt(field);
    }

    @Override
    public FieldHandle load(Path checkpoint) throws IOException {
        return fields.load(checkpoint);
    }

    @Override
    public void save(FieldHandle field, Path checkpoint) throws IOException {
        fields.save(field, checkpoint);
    }

    @Override
    public FloatImage render(FieldHandle field, RigState state) throws IOException {
        GaussianField f = fields.get(field);
        CnnEngine engine = fields.renderingEngine(field);
        synchronized (engine) { // an ORT session runs one request at a time here: its threads are the machine's
            try (GaussianField.Frame frame = f.render(state, rasterizer, engine)) {
                return new FloatImage(frame.camera().width(), frame.camera().height(), 3, frame.rgb());
            }
        }
    }

    @Override
    public void release(FieldHandle field) {
        fields.release(field);
    }
}
