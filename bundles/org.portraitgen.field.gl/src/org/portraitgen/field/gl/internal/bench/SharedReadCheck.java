package org.portraitgen.field.gl.internal.bench;

import static org.lwjgl.opengl.GL43C.*;

import java.util.Random;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.cnn.GlCnn;
import org.portraitgen.field.gl.internal.cnn.TrainerCnn;
import org.portraitgen.field.gl.internal.vk.GlVkTrainerCnn;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * Whether the host reads what the Vulkan CNN last wrote into the buffer it shares with GL: consecutive forwards of
 * different feature images, each RGB read by glGetBufferSubData straight from the shared buffer and through a GPU
 * copy into a GL buffer, against the GL CNN's RGB of the same features (relative L2).
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.SharedReadCheck</pre>
 */
public final class SharedReadCheck {
    private SharedReadCheck() {
    }

    public static void main(String[] args) {
        int size = 256;
        NeuralRenderer net = NeuralRenderer.initialised(32, 5);
        try (GlContext gl = GlContext.open()) {
            gl.call(() -> {
                try (TrainerCnn vk = GlVkTrainerCnn.open(gl, 32); GlCnn ref = new GlCnn(gl.shaders(), 32);
                        GlBuffer f = new GlBuffer("check features"); GlBuffer copy = new GlBuffer("check copy")) {
                    System.out.println("CNN: " + vk.describe());
                    vk.uploadParameters(net);
                    ref.uploadParameters(net);
                    Random rnd = new Random(1);
                    for (int k = 0; k < 4; k++) {
                        float[] features = new float[32 * size * size];
                        for (int i = 0; i < features.length; i++) {
                            features[i] = (float) (rnd.nextGaussian() * (1 + k));
                        }
                        f.upload(features);
                        ref.forward(f, size, size);
                        float[] expected = ref.rgb().readFloats(3 * size * size);
                        vk.forward(f, size, size);
                        float[] direct = vk.rgb().readFloats(3 * size * size);
                        copy.ensure(12L * size * size);
                        glBindBuffer(GL_COPY_READ_BUFFER, vk.rgb().id());
                        glBindBuffer(GL_COPY_WRITE_BUFFER, copy.id());
                        glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0, 12L * size * size);
                        float[] viaCopy = copy.readFloats(3 * size * size);
                        System.out.printf("forward %d: direct read %.2e, via GPU copy %.2e%n", k,
                                Parity.relativeL2(doubles(expected), direct), Parity.relativeL2(doubles(expected),
                                        viaCopy));
                    }
                }
                return null;
            });
        }
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
