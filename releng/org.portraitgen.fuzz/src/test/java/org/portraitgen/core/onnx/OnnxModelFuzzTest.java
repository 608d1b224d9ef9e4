package org.portraitgen.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The ONNX writer: the fuzz input is decoded into a model (names, shapes, float and int64 initializers, nodes with
 * int, float and ints attributes, including negative and extreme values and non-ASCII names), written with
 * {@link OnnxModel}, and read back with {@link ProtoReader}, an independent protobuf wire-format reader. Every
 * value must come back exactly as written, and the bytes must be well formed to the last byte.
 */
class OnnxModelFuzzTest {

    @FuzzTest
    void write(byte[] data) {
        FuzzSupport.count("OnnxModel");
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        OnnxModel model = new OnnxModel();
        List<String> nodeOps = new ArrayList<>();
        List<List<Object>> nodeAttributes = new ArrayList<>();
        List<float[]> floatTensors = new ArrayList<>();
        List<long[]> intTensors = new ArrayList<>();
        String inputName = text(in);
        long dim = in.remaining() >= 8 ? in.getLong() : -1;
        model.input(inputName, OnnxModel.FLOAT, "batch", dim);
        while (in.remaining() > 0) {
            switch (in.get() & 3) {
                case 0 -> {
                    int wanted = 1 + (in.remaining() > 0 ? in.get() & 7 : 0);
                    float[] v = new float[Math.min(in.remaining() / 4, wanted)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.getFloat();
                    }
                    model.floats("w" + floatTensors.size(), v, v.length);
                    floatTensors.add(v);
                }
                case 1 -> {
                    long[] v = new long[Math.min(in.remaining() / 8, 3)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.getLong();
                    }
                    model.ints(v);
                    intTensors.add(v);
                }
                case 2 -> {
                    String op = text(in);
                    List<Object> attributes = new ArrayList<>();
                    attributes.add("a");
                    attributes.add(in.remaining() >= 8 ? (Object) in.getLong() : (Object) Float.NaN);
                    attributes.add("b");
                    attributes.add(in.remaining() >= 4 ? (Object) in.getFloat() : (Object) 1f);
                    attributes.add("c");
                    attributes.add(new long[] {in.remaining() >= 8 ? in.getLong() : Long.MIN_VALUE, -1});
                    attributes.add("d");
                    attributes.add(text(in));
                    model.node(op.isEmpty() ? "Identity" : op, new String[] {inputName}, new String[] {"o" + nodeOps.size()},
                            attributes.toArray());
                    nodeOps.add(op.isEmpty() ? "Identity" : op);
                    nodeAttributes.add(attributes);
                }
                default -> model.output(text(in), OnnxModel.INT64, in.remaining() >= 8 ? in.getLong() : 0L);
            }
        }
        byte[] bytes = model.toBytes(inputName);
        ProtoReader.checkModel(bytes, inputName, dim, nodeOps, nodeAttributes, floatTensors, intTensors);
    }

    /** A string of up to 15 bytes of the input, decoded as UTF-8 (so invalid sequences become U+FFFD). */
    private static String text(ByteBuffer in) {
        int n = in.remaining() > 0 ? Math.min(in.get() & 15, in.remaining()) : 0;
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
