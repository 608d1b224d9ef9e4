package org.portraitgen.field.internal.cnn;

import java.util.function.Consumer;

import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.ort.OrtCnn;

/**
 * Picks the CNN engine: ONNX Runtime by default (about ten times faster in FieldBench's cnn=java comparison), the
 * plain-Java one where ORT's natives cannot load on this machine. The fallback is reported, never silent.
 */
public final class CnnEngines {
    private CnnEngines() {
    }

    /** An engine with forward and backward, for training. */
    public static CnnEngine training(int featureChannels, Workers workers, Consumer<String> log) {
        try {
            return new OrtCnn(featureChannels, workers.threads());
        } catch (LinkageError | RuntimeException e) {
            log.accept("ONNX Runtime unavailable (" + e + "); the neural renderer runs on the slower Java engine");
            return new JavaCnn(workers);
        }
    }

    /** A forward-only engine for one renderer whose weights no longer change. */
    public static CnnEngine rendering(NeuralRenderer net, Workers workers, Consumer<String> log) {
        try {
            return OrtCnn.frozen(net, workers.threads());
        } catch (LinkageError | RuntimeException e) {
            log.accept("ONNX Runtime unavailable (" + e + "); the neural renderer runs on the slower Java engine");
            return new JavaCnn(workers);
        }
    }
}
