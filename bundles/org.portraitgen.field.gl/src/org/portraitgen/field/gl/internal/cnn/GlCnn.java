package org.portraitgen.field.gl.internal.cnn;

import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.internal.cnn.Conv2d;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The neural renderer on the GPU (shaders/cnn/): its parameters live in one flat buffer in the order of
 * {@link NeuralRenderer#parameters()} (weights [Cout, Cin, k, k] then biases, layer by layer), its gradients in a
 * second one of the same layout, so Adam runs on both as flat arrays. The forward keeps every layer's input on the
 * GPU for the backward; images never leave the GPU unless read. Methods run on the GL thread.
 */
public final class GlCnn implements TrainerCnn {
    /** Bands of rows the weight gradient is split into (work groups along z), at most one per row. */
    static final int MAX_BANDS = 64;
    private static final int NO_BIAS = 0xffffffff;

    private final ShaderLibrary shaders;
    private final int featureChannels;
    private final int[] cin;
    private final int[] cout;
    private final int[] kernel;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int parameterCount;
    private final int widestLayer;
    private final GlBuffer params = new GlBuffer("neural renderer parameters");
    private final GlBuffer grads = new GlBuffer("neural renderer gradients");
    private final GlBuffer partial = new GlBuffer("weight-gradient partial sums");
    /** activations[i] is the input of layer i for i >= 1 (layer 0 reads the caller's feature buffer). */
    private final GlBuffer[] activations;
    private final GlBuffer rgb = new GlBuffer("neural renderer RGB");
    private final GlBuffer vRgbIn = new GlBuffer("dL/dRGB (uploaded)");
    private final GlBuffer[] vPingPong = {new GlBuffer("CNN gradient A"), new GlBuffer("CNN gradient B")};
    private final GlBuffer vFeatures = new GlBuffer("dL/dfeatures");
    private GlBuffer input;
    private int width;
    private int height;

    public GlCnn(ShaderLibrary shaders, int featureChannels) {
        this.shaders = shaders;
        this.featureChannels = featureChannels;
        NeuralRenderer shape = new NeuralRenderer(featureChannels);
        int n = shape.layers.length;
        cin = new int[n];
        cout = new int[n];
        kernel = new int[n];
        weightOffset = new int[n];
        biasOffset = new int[n];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            Conv2d c = shape.layers[i];
            cin[i] = c.inChannels;
            cout[i] = c.outChannels;
            kernel[i] = c.kernel;
            weightOffset[i] = offset;
            offset += c.weights.length;
            biasOffset[i] = offset;
            offset += c.bias.length;
        }
        parameterCount = offset;
        int widest = 0;
        for (int i = 0; i < n; i++) {
            widest = Math.max(widest, Math.max(cin[i], cout[i]));
        }
        widestLayer = widest;
        activations = new GlBuffer[n];
        for (int i = 1; i < n; i++) {
            activations[i] = new GlBuffer("CNN layer " + i + " input");
        }
        params.ensure(4L * parameterCount);
        grads.zero(4L * parameterCount);
        GlBuffer.checkError("allocating the neural renderer's parameters");
        compileAll();
    }

    /** Every program this CNN dispatches, compiled now so that a driver's compile error shows at start-up. */
    private void compileAll() {
        for (int i = 0; i < cin.length; i++) {
            forwardProgram(i);
            weightGradProgram(i);
            inputGradProgram(i);
        }
        shaders.program("cnn/conv2d_reduce.comp", Map.of());
        shaders.program("cnn/sigmoid_backward.comp", Map.of());
    }

    @Override
    public String describe() {
        return "GL fp32";
    }

    public int featureChannels() {
        return featureChannels;
    }

    public int parameterCount() {
        return parameterCount;
    }

    public GlBuffer parameters() {
        return params;
    }

    public GlBuffer gradients() {
        return grads;
    }

    /** The RGB [3, H, W] of the last forward. */
    public GlBuffer rgb() {
        return rgb;
    }

    /** dL/dfeatures [C, H, W] of the last backward. */
    public GlBuffer featureGradient() {
        return vFeatures;
    }

    public void uploadParameters(NeuralRenderer net) {
        check(net);
        params.upload(flatten(net));
    }

    /** Copies the GPU's parameters into {@code net}. */
    public void downloadParameters(NeuralRenderer net) {
        check(net);
        unflatten(params.readFloats(parameterCount), net);
    }

    /** Adds the GPU's accumulated gradients into {@code into}. */
    public void addGradientsTo(NeuralRenderer into) {
        check(into);
        float[] g = grads.readFloats(parameterCount);
        float[][] p = into.parameters();
        int o = 0;
        for (float[] a : p) {
            for (int i = 0; i < a.length; i++) {
                a[i] += g[o++];
            }
        }
    }

    public void zeroGradients() {
        grads.zero(4L * parameterCount);
    }

    private void check(NeuralRenderer net) {
        if (net.featureChannels != featureChannels) {
            throw new IllegalArgumentException("renderer has " + net.featureChannels + " feature channels, the GPU "
                    + "CNN " + featureChannels);
        }
    }

    static float[] flatten(NeuralRenderer net) {
        return TrainerCnn.flatten(net);
    }

    static void unflatten(float[] flat, NeuralRenderer net) {
        TrainerCnn.unflatten(flat, net);
    }

    /** Forward of the [C, H, W] feature image in {@code features}; the RGB stays in {@link #rgb()}. */
    public void forward(GlBuffer features, int h, int w) {
        this.input = features;
        this.height = h;
        this.width = w;
        long pixels = (long) w * h;
        for (int i = 1; i < cin.length; i++) {
            activations[i].ensure(4L * cin[i] * pixels);
        }
        rgb.ensure(4L * 3 * pixels);
        GlBuffer.checkError("allocating the neural renderer's " + w + "x" + h + " activations");
        int last = cin.length - 1;
        for (int i = 0; i <= last; i++) {
            GlBuffer in = i == 0 ? features : activations[i];
            GlBuffer out = i == last ? rgb : activations[i + 1];
            conv(forwardProgram(i), in, out, null, weightOffset[i], biasOffset[i], cout[i]);
        }
    }

    /** One frame at a time: the GL CNN keeps the activations of its last forward only. */
    @Override
    public void forward(GlBuffer[] features, int frames, int h, int w) {
        requireOneFrame(frames);
        forward(features[0], h, w);
    }

    @Override
    public void backward(GlBuffer[] vRgb, int frames) {
        requireOneFrame(frames);
        backward(vRgb[0]);
    }

    @Override
    public GlBuffer rgb(int slot) {
        requireOneFrame(slot + 1);
        return rgb;
    }

    @Override
    public GlBuffer featureGradient(int slot) {
        requireOneFrame(slot + 1);
        return vFeatures;
    }

    private static void requireOneFrame(int frames) {
        if (frames != 1) {
            throw new IllegalArgumentException("the GL CNN takes one frame at a time, not " + frames);
        }
    }

    /** Uploads dL/dRGB [3, H, W] and runs {@link #backward(GlBuffer)}. */
    public void backward(float[] vRgb) {
        vRgbIn.upload(vRgb);
        backward(vRgbIn);
    }

    /**
     * Backward of the last forward from dL/dRGB [3, H, W] in {@code vRgb}: adds the parameter gradients into
     * {@link #gradients()} and leaves dL/dfeatures in {@link #featureGradient()}.
     */
    public void backward(GlBuffer vRgb) {
        long pixels = (long) width * height;
        for (GlBuffer b : vPingPong) {
            b.ensure(4L * widestLayer * pixels);
        }
        vFeatures.ensure(4L * featureChannels * pixels);
        GlBuffer.checkError("allocating the neural renderer's " + width + "x" + height + " gradients");
        int sig = shaders.program("cnn/sigmoid_backward.comp", Map.of());
        rgb.bind(0);
        vRgb.bind(1);
        vPingPong[0].bind(2);
        Dispatch.uniform(sig, 0, (int) (3 * pixels));
        Dispatch.run(sig, Dispatch.groups(3 * pixels, 256), 1);
        GlBuffer g = vPingPong[0];
        for (int i = cin.length - 1; i >= 0; i--) {
            GlBuffer in = i == 0 ? input : activations[i];
            weightGradient(i, in, g);
            GlBuffer vIn = i == 0 ? vFeatures : g == vPingPong[0] ? vPingPong[1] : vPingPong[0];
            // the input of layer i > 0 is ReLU(pre-activation): the gradient passes only where it is positive
            conv(inputGradProgram(i), g, vIn, i == 0 ? null : activations[i], weightOffset[i], NO_BIAS, cin[i]);
            g = vIn;
        }
        GlBuffer.checkError("neural renderer backward");
    }

    private void conv(int program, GlBuffer in, GlBuffer out, GlBuffer mask, int wOffset, int bOffset, int outCh) {
        in.bind(0);
        params.bind(1);
        out.bind(2);
        if (mask != null) {
            mask.bind(3);
        }
        Dispatch.uniform(program, 0, width);
        Dispatch.uniform(program, 1, height);
        Dispatch.uniform(program, 2, wOffset);
        Dispatch.uniform(program, 3, bOffset);
        int group = coGroup(outCh);
        glDispatch(program, Dispatch.groups(width, 32), Dispatch.groups(height, 8), Dispatch.groups(outCh, group));
    }

    private void weightGradient(int layer, GlBuffer in, GlBuffer g) {
        int bands = Math.min(MAX_BANDS, height);
        int rowsPerBand = Dispatch.groups(height, bands);
        bands = Dispatch.groups(height, rowsPerBand);
        int layerSize = cout[layer] * cin[layer] * kernel[layer] * kernel[layer] + cout[layer];
        partial.ensure(4L * bands * layerSize);
        GlBuffer.checkError("allocating weight-gradient partial sums");
        int program = weightGradProgram(layer);
        in.bind(0);
        g.bind(1);
        partial.bind(2);
        Dispatch.uniform(program, 0, width);
        Dispatch.uniform(program, 1, height);
        Dispatch.uniform(program, 2, rowsPerBand);
        glDispatch(program, Dispatch.groups(cin[layer], 16), Dispatch.groups(cout[layer], 16), bands);
        int reduce = shaders.program("cnn/conv2d_reduce.comp", Map.of());
        partial.bind(0);
        grads.bind(1);
        Dispatch.uniform(reduce, 0, layerSize);
        Dispatch.uniform(reduce, 1, bands);
        Dispatch.uniform(reduce, 2, weightOffset[layer]);
        Dispatch.run(reduce, Dispatch.groups(layerSize, 256), 1);
    }

    private static void glDispatch(int program, int x, int y, int z) {
        Dispatch.run(program, x, y, z);
    }

    static int coGroup(int outChannels) {
        return outChannels >= 32 ? 32 : ((outChannels + 7) / 8) * 8;
    }

    private int forwardProgram(int i) {
        boolean last = i == cin.length - 1;
        return shaders.program("cnn/conv2d.comp", Map.of("CIN", cin[i], "COUT", cout[i], "KSIZE", kernel[i],
                "CO_GROUP", coGroup(cout[i]), "THREADS", 8 * coGroup(cout[i]), "ACT", last ? 2 : 1, "TRANSPOSED", 0, "MASKED", 0));
    }

    private int inputGradProgram(int i) {
        return shaders.program("cnn/conv2d.comp", Map.of("CIN", cout[i], "COUT", cin[i], "KSIZE", kernel[i],
                "CO_GROUP", coGroup(cin[i]), "THREADS", 8 * coGroup(cin[i]), "ACT", 0, "TRANSPOSED", 1, "MASKED", i == 0 ? 0 : 1));
    }

    private int weightGradProgram(int i) {
        return shaders.program("cnn/conv2d_weight_grad.comp", Map.of("CIN", cin[i], "COUT", cout[i], "KSIZE",
                kernel[i]));
    }

    public long bufferBytes() {
        long sum = params.capacity() + grads.capacity() + partial.capacity() + rgb.capacity() + vRgbIn.capacity()
                + vFeatures.capacity() + vPingPong[0].capacity() + vPingPong[1].capacity();
        for (int i = 1; i < activations.length; i++) {
            sum += activations[i].capacity();
        }
        return sum;
    }

    @Override
    public void close() {
        for (GlBuffer b : new GlBuffer[] {params, grads, partial, rgb, vRgbIn, vFeatures, vPingPong[0],
                vPingPong[1]}) {
            b.close();
        }
        for (int i = 1; i < activations.length; i++) {
            activations[i].close();
        }
    }
}
