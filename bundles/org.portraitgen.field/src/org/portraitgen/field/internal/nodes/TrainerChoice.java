package org.portraitgen.field.internal.nodes;

import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.field.GpuStatus;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.train.FieldTrainer;
import org.portraitgen.field.internal.train.Lifter;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingBackend;

/**
 * Which device a node trains a field on: the best-ranked field service's when it trains (the GPU), else the CPU
 * reference; the node's log says which and why. Shared by every node that trains (lift, edit).
 */
public final class TrainerChoice {

    private TrainerChoice() {
    }

    /**
     * @param gpu     the GPU bundle's status, or null without it: the GPU service registers once its context has
     *                opened (asynchronously), so a node waits for that to settle and trains on the same device
     *                however fast its process started
     * @param service the best-ranked field service now, read after {@code gpu} settled
     */
    public static Lifter.TrainerFactory of(GpuStatus gpu, java.util.function.Supplier<GaussianFieldService> service,
            NodeContext context, Workers workers, CnnEngine engine) {
        if (gpu != null) {
            gpu.available(); // waits until the context has opened (and its service registered) or failed
        }
        GaussianFieldService best = service.get();
        Lifter.TrainerFactory cpu = (field, weights) -> {
            context.log("training on the CPU, neural renderer engine: " + engine.name());
            return new Trainer(field, weights, workers, engine);
        };
        if (!(best instanceof TrainingBackend device)) {
            return cpu;
        }
        return (field, weights) -> {
            try {
                FieldTrainer t = device.trainer(field, weights);
                context.log("training on " + device.device());
                return t;
            } catch (RuntimeException | LinkageError e) {
                context.log("the " + best.backend() + " service cannot train (" + e.getMessage()
                        + "); falling back to the CPU");
                return cpu.create(field, weights);
            }
        };
    }
}
