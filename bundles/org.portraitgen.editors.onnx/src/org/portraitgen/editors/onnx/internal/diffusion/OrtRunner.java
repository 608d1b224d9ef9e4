package org.portraitgen.editors.onnx.internal.diffusion;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.portraitgen.editors.onnx.internal.model.ModelFolder;

/**
 * Runs one role of a model folder on float / integer inputs and returns its float outputs, closing every native
 * tensor. An ONNX Runtime failure (an allocation that failed, a shape the export does not take) becomes a
 * {@link ModelRunException} naming the role, its file and the input shapes.
 */
public final class OrtRunner {

    private final ModelFolder folder;

    public OrtRunner(ModelFolder folder) {
        this.folder = folder;
    }

    public ModelFolder folder() {
        return folder;
    }

    /** Inputs by name: a {@link Tensor}, or an {@code int[]} / {@code long[]} with its shape in {@code IntInput}. */
    public record IntInput(long[] values, String dtype, long... shape) {
    }

    public Map<String, Tensor> run(String role, Map<String, Object> inputs, String... outputs)
            throws ModelRunException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> created = new ArrayList<>();
        StringBuilder shapes = new StringBuilder();
        try {
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            for (var e : inputs.entrySet()) {
                OnnxTensor t;
                if (e.getValue() instanceof Tensor f) {
                    t = OnnxTensor.createTensor(env, FloatBuffer.wrap(f.data()), f.shape());
                } else if (e.getValue() instanceof IntInput i && i.dtype().equals("int32")) {
                    int[] v = new int[i.values().length];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = Math.toIntExact(i.values()[k]);
                    }
                    t = OnnxTensor.createTensor(env, IntBuffer.wrap(v), i.shape());
                } else if (e.getValue() instanceof IntInput i) {
                    t = OnnxTensor.createTensor(env, LongBuffer.wrap(i.values()), i.shape());
                } else {
                    throw new IllegalArgumentException("input " + e.getKey() + ": " + e.getValue());
                }
                created.add(t);
                feed.put(e.getKey(), t);
                shapes.append(shapes.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(java.util.Arrays.toString(t.getInfo().getShape()));
            }
            OrtSession session = folder.session(role);
            try (OrtSession.Result result = session.run(feed, java.util.Set.of(outputs))) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String name : outputs) {
                    OnnxValue v = result.get(name).orElseThrow();
                    OnnxTensor t = (OnnxTensor) v;
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    out.put(name, new Tensor(data, t.getInfo().getShape()));
                }
                return out;
            }
        } catch (OrtException e) {
            String what = isOutOfMemory(e.getMessage()) ? "ran out of memory" : "failed";
            throw new ModelRunException("model '" + role + "' (" + folder.file(role) + ") " + what + " on inputs "
                    + shapes + ": " + e.getMessage() + (what.equals("failed") ? ""
                            : " (use a smaller 'resolution', or fewer parallel nodes)"), e);
        } catch (OutOfMemoryError e) {
            throw new ModelRunException("model '" + role + "' (" + folder.file(role) + ") ran out of Java heap on"
                    + " inputs " + shapes + " (raise -Xmx through PORTRAITGEN_JVM_OPTS or lower 'resolution')", e);
        } finally {
            for (OnnxTensor t : created) {
                t.close();
            }
        }
    }

    static boolean isOutOfMemory(String message) {
        String m = message == null ? "" : message.toLowerCase();
        return m.contains("failed to allocate") || m.contains("bad allocation") || m.contains("bad_alloc")
                || m.contains("out of memory");
    }
}
