package org.portraitgen.field.internal.cnn;

import org.portraitgen.field.internal.Workers;

/**
 * A forward-only engine for one renderer whose weights no longer change (rendering a lifted field), on fused
 * Winograd convolutions ({@link WinogradConv}) in plain Java. The five 3x3 layers run in the {@link PhaseImage}
 * layout end to end; the 1x1 head and the sigmoid run on that layout too, and only RGB is converted back.
 */
public final class WinogradCnn implements CnnEngine {
    private final NeuralRenderer net;
    private final WinogradConv[] convs;
    private final Conv2d head;
    private final Workers workers;
    private final int m;

    /**
     * @param m            Winograd output tile, 2 or 4
     * @param tilesPerBand tiles per work item (held in the worker's cache)
     */
    public WinogradCnn(NeuralRenderer net, Workers workers, int m, int tilesPerBand) {
        this.net = net;
        this.workers = workers;
        this.m = m;
        int layers = net.layers.length;
        convs = new WinogradConv[layers - 1];
        for (int i = 0; i < layers - 1; i++) {
            convs[i] = new WinogradConv(net.layers[i], m, tilesPerBand);
        }
        head = net.layers[layers - 1];
        if (head.kernel != 1) {
            throw new IllegalArgumentException("the renderer's last layer must be 1x1, got " + head.kernel + "x"
                    + head.kernel);
        }
    }

    @Override
    public String name() {
        return "java-winograd-f" + m;
    }

    @Override
    public Pass forward(NeuralRenderer net, float[] features, int h, int w) {
        if (net != this.net) {
            throw new IllegalArgumentException("this Winograd engine holds another renderer's weights");
        }
        PhaseImage x = PhaseImage.fromPlanar(features, net.featureChannels, h, w, m);
        for (WinogradConv c : convs) {
            x = c.forward(x, true, workers);
        }
        float[] rgb = head(x).toPlanar();
        workers.forEach(rgb.length / 4096 + 1, item -> {
            for (int i = item * 4096; i < Math.min(rgb.length, (item + 1) * 4096); i++) {
                rgb[i] = (float) (1 / (1 + Math.exp(-rgb[i])));
            }
        });
        return () -> rgb;
    }

    /** The 1x1 head on the phase layout, position by position (padding included: toPlanar drops it). */
    private PhaseImage head(PhaseImage x) {
        PhaseImage out = PhaseImage.zeros(head.outChannels, x.height(), x.width(), m);
        float[] in = x.data();
        float[] y = out.data();
        int cin = head.inChannels;
        int segment = m * x.rowStride();
        // one work item per padded row: there every channel's m phase rows are one segment
        workers.forEach(x.paddedRows(), yy -> {
            for (int co = 0; co < head.outChannels; co++) {
                int o = out.index(co, yy, 0);
                float b = head.bias[co];
                for (int k = o; k < o + segment; k++) {
                    y[k] = b;
                }
                for (int ci = 0; ci < cin; ci++) {
                    float wt = head.weights[co * cin + ci];
                    int shift = x.index(ci, yy, 0) - o;
                    for (int k = o; k < o + segment; k++) {
                        y[k] = Math.fma(wt, in[k + shift], y[k]);
                    }
                }
            }
        });
        return out;
    }

    @Override
    public float[] backward(NeuralRenderer net, Pass pass, float[] vRgb, NeuralRenderer grads) {
        throw new UnsupportedOperationException("the Winograd engine is forward-only (rendering)");
    }
}
