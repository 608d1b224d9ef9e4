package org.portraitgen.core.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal writer of ONNX models (protobuf wire format, written by hand: no protobuf library is needed for the
 * handful of messages a graph uses). Field numbers are those of onnx/onnx.proto3: ModelProto ir_version 1,
 * producer_name 2, graph 7, opset_import 8; GraphProto node 1, name 2, initializer 5, input 11, output 12;
 * NodeProto input 1, output 2, name 3, op_type 4, attribute 5, domain 7; AttributeProto name 1, f 2, i 3, s 4,
 * ints 8, type 20;
 * TensorProto dims 1, data_type 2, name 8, raw_data 9; ValueInfoProto name 1, type 2.
 *
 * <p>Tensors are float32 (elem type 1), int32 (6) or int64 (7); shapes may name symbolic dimensions (a String) or
 * fixed ones (a Long / Integer). Used for graphs the project computes with (the field's neural renderer) and for the
 * tiny stand-ins of downloaded models that tests build.
 */
public final class OnnxModel {
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    private static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    /** Operator set domains besides the default one, used by {@link #nodeIn}. */
    private final java.util.Set<String> domains = new java.util.TreeSet<>();
    private int counter;

    /** ONNX Runtime's blocked-layout (NCHWc) CPU kernels: ReorderInput, ReorderOutput, Conv. */
    public static final String NCHWC = "com.microsoft.nchwc";

    /** A fresh, unique value name with a readable prefix. */
    public String tmp(String prefix) {
        return prefix + "_" + counter++;
    }

    public void input(String name, int elemType, Object... shape) {
        inputs.add(valueInfo(name, elemType, shape));
    }

    public void output(String name, int elemType, Object... shape) {
        outputs.add(valueInfo(name, elemType, shape));
    }

    /** An int64 constant tensor (initializer) of the given values, 1-D. */
    public String ints(long... values) {
        String name = tmp("c");
        Pb t = new Pb();
        t.varint(1, values.length);
        t.varint(2, INT64);
        t.string(8, name);
        byte[] raw = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            for (int b = 0; b < 8; b++) {
                raw[8 * i + b] = (byte) (values[i] >>> (8 * b));
            }
        }
        t.bytes(9, raw);
        initializers.add(t.toBytes());
        return name;
    }

    /** A float constant tensor (initializer) with the given name and shape. */
    public void floats(String name, float[] values, long... shape) {
        Pb t = new Pb();
        for (long d : shape) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT);
        t.string(8, name);
        byte[] raw = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int b = 0; b < 4; b++) {
                raw[4 * i + b] = (byte) (bits >>> (8 * b));
            }
        }
        t.bytes(9, raw);
        initializers.add(t.toBytes());
    }

    /** A float scalar constant (initializer, shape []). */
    public String scalar(float value) {
        String name = tmp("f");
        Pb t = new Pb();
        t.varint(2, FLOAT);
        t.string(8, name);
        int bits = Float.floatToRawIntBits(value);
        t.bytes(9, new byte[] {(byte) bits, (byte) (bits >>> 8), (byte) (bits >>> 16), (byte) (bits >>> 24)});
        initializers.add(t.toBytes());
        return name;
    }

    /**
     * Adds a node; attributes are name/value pairs (Long or Integer → INT, long[] → INTS, Float → FLOAT, String →
     * STRING).
     */
    public void node(String op, String[] in, String[] out, Object... attributes) {
        nodeIn(null, op, in, out, attributes);
    }

    /** {@link #node} from another operator set domain (version 1), e.g. {@link #NCHWC}; null is the default one. */
    public void nodeIn(String domain, String op, String[] in, String[] out, Object... attributes) {
        Pb n = new Pb();
        for (String s : in) {
            n.string(1, s);
        }
        for (String s : out) {
            n.string(2, s);
        }
        n.string(3, out[0] + "_" + op);
        n.string(4, op);
        for (int i = 0; i < attributes.length; i += 2) {
            Pb a = new Pb();
            a.string(1, (String) attributes[i]);
            Object v = attributes[i + 1];
            if (v instanceof Float f) {
                a.fixed32(2, Float.floatToRawIntBits(f));
                a.varint(20, 1);
            } else if (v instanceof Number l) {
                a.varint(3, l.longValue());
                a.varint(20, 2);
            } else if (v instanceof String str) {
                a.string(4, str);
                a.varint(20, 3);
            } else if (v instanceof long[] ls) {
                for (long l : ls) {
                    a.varint(8, l);
                }
                a.varint(20, 7);
            } else {
                throw new IllegalArgumentException("attribute type " + v.getClass());
            }
            n.message(5, a.toBytes());
        }
        if (domain != null) {
            n.string(7, domain);
            domains.add(domain);
        }
        nodes.add(n.toBytes());
    }

    /** A node with one output, named fresh; returns the output's name. */
    public String op(String op, String[] in, Object... attributes) {
        String out = tmp(op.toLowerCase());
        node(op, in, new String[] {out}, attributes);
        return out;
    }

    /** {@link #op} from another operator set domain. */
    public String op(String op, String domain, String[] in, Object... attributes) {
        String out = tmp(op.toLowerCase());
        nodeIn(domain, op, in, new String[] {out}, attributes);
        return out;
    }

    public byte[] toBytes(String graphName) {
        Pb g = new Pb();
        for (byte[] n : nodes) {
            g.message(1, n);
        }
        g.string(2, graphName);
        for (byte[] t : initializers) {
            g.message(5, t);
        }
        for (byte[] v : inputs) {
            g.message(11, v);
        }
        for (byte[] v : outputs) {
            g.message(12, v);
        }
        Pb opset = new Pb();
        opset.string(1, "");
        opset.varint(2, OPSET);
        Pb m = new Pb();
        m.varint(1, IR_VERSION);
        m.string(2, "org.portraitgen");
        m.message(7, g.toBytes());
        m.message(8, opset.toBytes());
        for (String d : domains) {
            Pb o = new Pb();
            o.string(1, d);
            o.varint(2, 1);
            m.message(8, o.toBytes());
        }
        return m.toBytes();
    }

    private static byte[] valueInfo(String name, int elemType, Object... shape) {
        Pb dims = new Pb();
        for (Object d : shape) {
            Pb dim = new Pb();
            if (d instanceof String s) {
                dim.string(2, s);
            } else {
                dim.varint(1, ((Number) d).longValue());
            }
            dims.message(1, dim.toBytes());
        }
        Pb tensor = new Pb();
        tensor.varint(1, elemType);
        tensor.message(2, dims.toBytes());
        Pb type = new Pb();
        type.message(1, tensor.toBytes());
        Pb v = new Pb();
        v.string(1, name);
        v.message(2, type.toBytes());
        return v.toBytes();
    }

    /** Protobuf wire format: tags are (field << 3 | wire type); varints little-endian base 128. */
    static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void varint(int field, long v) {
            raw((long) field << 3);
            raw(v);
        }

        void fixed32(int field, int bits) {
            raw((long) field << 3 | 5);
            for (int b = 0; b < 4; b++) {
                out.write(bits >>> (8 * b));
            }
        }

        void bytes(int field, byte[] b) {
            raw((long) field << 3 | 2);
            raw(b.length);
            out.writeBytes(b);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, byte[] b) {
            bytes(field, b);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
