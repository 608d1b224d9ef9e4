package org.portraitgen.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The oracle of {@link OnnxModelFuzzTest}: a protobuf wire-format reader written from the encoding spec (varint,
 * 64-bit, length-delimited and 32-bit fields) and the field numbers of onnx.proto3, independent of the writer's code.
 * Malformed bytes or a value that differs from what was written fail with an AssertionError.
 */
final class ProtoReader {

    record Field(int number, int wireType, long value, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private ProtoReader() {
    }

    static List<Field> parse(byte[] b) {
        List<Field> out = new ArrayList<>();
        int[] at = {0};
        while (at[0] < b.length) {
            long tag = varint(b, at);
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            require(number > 0, "field number 0");
            switch (wire) {
                case 0 -> out.add(new Field(number, wire, varint(b, at), null));
                case 1 -> out.add(new Field(number, wire, ByteBuffer.wrap(b, take(b, at, 8), 8)
                        .order(ByteOrder.LITTLE_ENDIAN).getLong(), null));
                case 2 -> {
                    long n = varint(b, at);
                    require(n >= 0 && n <= b.length - at[0], "length " + n + " past the end");
                    int from = take(b, at, (int) n);
                    out.add(new Field(number, wire, n, Arrays.copyOfRange(b, from, from + (int) n)));
                }
                case 5 -> out.add(new Field(number, wire, ByteBuffer.wrap(b, take(b, at, 4), 4)
                        .order(ByteOrder.LITTLE_ENDIAN).getInt(), null));
                default -> throw new AssertionError("wire type " + wire + " at byte " + at[0]);
            }
        }
        return out;
    }

    private static int take(byte[] b, int[] at, int n) {
        require(at[0] + n <= b.length, "field past the end");
        int from = at[0];
        at[0] += n;
        return from;
    }

    private static long varint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            require(at[0] < b.length, "varint past the end");
            int x = b[at[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new AssertionError("varint longer than 10 bytes");
    }

    private static List<Field> all(List<Field> fields, int number) {
        return fields.stream().filter(f -> f.number() == number).toList();
    }

    private static Field one(List<Field> fields, int number) {
        List<Field> found = all(fields, number);
        require(found.size() == 1, "expected one field " + number + ", found " + found.size());
        return found.get(0);
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new AssertionError(why);
        }
    }

    private static void same(Object expected, Object actual, String what) {
        require(Objects.equals(expected, actual), what + ": wrote " + expected + ", read " + actual);
    }

    /** Checks a model written by OnnxModelFuzzTest against what it wrote. */
    static void checkModel(byte[] bytes, String graphName, long dim, List<String> ops, List<List<Object>> attributes,
            List<float[]> floats, List<long[]> ints) {
        List<Field> model = parse(bytes);
        same(8L, one(model, 1).value(), "ir_version");
        List<Field> opset = parse(one(model, 8).bytes());
        same(17L, one(opset, 2).value(), "opset version");
        List<Field> graph = parse(one(model, 7).bytes());
        same(graphName, one(graph, 2).text(), "graph name");

        List<Field> input = parse(all(graph, 11).get(0).bytes());
        same(graphName, one(input, 1).text(), "input name");
        List<Field> tensorType = parse(one(parse(one(input, 2).bytes()), 1).bytes());
        same((long) OnnxModel.FLOAT, one(tensorType, 1).value(), "input element type");
        List<Field> dims = all(parse(one(tensorType, 2).bytes()), 1);
        same("batch", one(parse(dims.get(0).bytes()), 2).text(), "symbolic dimension");
        same(dim, one(parse(dims.get(1).bytes()), 1).value(), "fixed dimension");

        List<Field> nodes = all(graph, 1);
        same(ops.size(), nodes.size(), "node count");
        for (int i = 0; i < ops.size(); i++) {
            List<Field> node = parse(nodes.get(i).bytes());
            same(ops.get(i), one(node, 4).text(), "op_type");
            same(graphName, one(node, 1).text(), "node input");
            List<Field> attrs = all(node, 5);
            List<Object> written = attributes.get(i);
            same(written.size() / 2, attrs.size(), "attribute count");
            for (int a = 0; a < attrs.size(); a++) {
                List<Field> attr = parse(attrs.get(a).bytes());
                same(written.get(2 * a), one(attr, 1).text(), "attribute name");
                Object v = written.get(2 * a + 1);
                if (v instanceof Float f) {
                    same(1L, one(attr, 20).value(), "FLOAT attribute type");
                    same(Float.floatToRawIntBits(f), (int) one(attr, 2).value(), "float attribute");
                } else if (v instanceof String str) {
                    same(3L, one(attr, 20).value(), "STRING attribute type");
                    same(str, one(attr, 4).text(), "string attribute");
                } else if (v instanceof Long l) {
                    same(2L, one(attr, 20).value(), "INT attribute type");
                    same(l, one(attr, 3).value(), "int attribute");
                } else {
                    same(7L, one(attr, 20).value(), "INTS attribute type");
                    long[] read = all(attr, 8).stream().mapToLong(Field::value).toArray();
                    require(Arrays.equals((long[]) v, read), "ints attribute: wrote " + Arrays.toString((long[]) v)
                            + ", read " + Arrays.toString(read));
                }
            }
        }

        List<Field> initializers = all(graph, 5);
        same(floats.size() + ints.size(), initializers.size(), "initializer count");
        int fi = 0;
        int ii = 0;
        for (Field f : initializers) {
            List<Field> t = parse(f.bytes());
            byte[] raw = one(t, 9).bytes();
            ByteBuffer rb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            if (one(t, 2).value() == OnnxModel.FLOAT) {
                float[] w = floats.get(fi++);
                same((long) w.length, one(t, 1).value(), "float tensor dimension");
                same(4 * w.length, raw.length, "float raw_data length");
                for (float x : w) {
                    same(Float.floatToRawIntBits(x), rb.getInt(), "float value");
                }
            } else {
                same((long) OnnxModel.INT64, one(t, 2).value(), "int64 tensor type");
                long[] w = ints.get(ii++);
                same(8 * w.length, raw.length, "int64 raw_data length");
                for (long x : w) {
                    same(x, rb.getLong(), "int64 value");
                }
            }
        }
    }
}
