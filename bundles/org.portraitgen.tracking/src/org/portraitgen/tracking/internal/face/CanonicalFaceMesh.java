package org.portraitgen.tracking.internal.face;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * MediaPipe's canonical face mesh, read from {@code geometry_pipeline_metadata_landmarks.binarypb}: protobuf
 * {@code GeometryPipelineMetadata} with field 1 = {@code Mesh3d} (1 vertex_type, 0 = x,y,z,u,v; 2 primitive_type,
 * 0 = triangles; 3 vertex_buffer floats; 4 index_buffer uint32) and field 2 = weighted landmark references for
 * Procrustes (1 landmark_id, 2 weight). Repeated fields may be packed or not; both are read. Positions are in
 * centimetres with y up and z towards the viewer; vertex i is the landmark model's point i.
 *
 * @param positions x,y,z per vertex, converted to OpenCV's camera axes (y down, z away from the viewer), so a face
 *                  looking at the camera has the identity rotation
 * @param uvs       u,v per vertex, v down (image convention), in [0, 1]
 * @param triangles three vertex indices per triangle
 * @param weights   Procrustes weight per vertex (0 for most)
 */
public record CanonicalFaceMesh(float[] positions, float[] uvs, int[] triangles, float[] weights) {

    public int vertexCount() {
        return positions.length / 3;
    }

    public static CanonicalFaceMesh read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static CanonicalFaceMesh parse(byte[] data) throws IOException {
        ProtoReader top = new ProtoReader(ByteBuffer.wrap(data));
        float[] vertexBuffer = null;
        int[] indices = null;
        float[] refs = new float[0];
        int refCount = 0;
        while (top.hasMore()) {
            int tag = top.tag();
            if (tag == (1 << 3 | 2)) {
                ProtoReader mesh = top.message();
                FloatList vb = new FloatList();
                IntList ib = new IntList();
                while (mesh.hasMore()) {
                    int t = mesh.tag();
                    switch (t) {
                    case 3 << 3 | 5 -> vb.add(mesh.fixedFloat());
                    case 3 << 3 | 2 -> mesh.packedFloats(vb);
                    case 4 << 3 | 0 -> ib.add((int) mesh.varint());
                    case 4 << 3 | 2 -> mesh.packedVarints(ib);
                    case 1 << 3 | 0, 2 << 3 | 0 -> {
                        if (mesh.varint() != 0) {
                            throw new IOException("canonical mesh: only x,y,z,u,v triangle meshes are supported");
                        }
                    }
                    default -> mesh.skip(t);
                    }
                }
                vertexBuffer = vb.toArray();
                indices = ib.toArray();
            } else if (tag == (2 << 3 | 2)) {
                ProtoReader ref = top.message();
                int id = -1;
                float w = 0;
                while (ref.hasMore()) {
                    int t = ref.tag();
                    if (t == (1 << 3 | 0)) {
                        id = (int) ref.varint();
                    } else if (t == (2 << 3 | 5)) {
                        w = ref.fixedFloat();
                    } else {
                        ref.skip(t);
                    }
                }
                if (refs.length < 2 * (refCount + 1)) {
                    refs = Arrays.copyOf(refs, 2 * (refCount + 1) * 2);
                }
                refs[2 * refCount] = id;
                refs[2 * refCount + 1] = w;
                refCount++;
            } else {
                top.skip(tag);
            }
        }
        if (vertexBuffer == null || vertexBuffer.length % 5 != 0 || indices.length % 3 != 0) {
            throw new IOException("canonical mesh: no x,y,z,u,v vertex buffer with triangles found");
        }
        int n = vertexBuffer.length / 5;
        float[] pos = new float[3 * n], uv = new float[2 * n], weights = new float[n];
        for (int i = 0; i < n; i++) {
            pos[3 * i] = vertexBuffer[5 * i];
            pos[3 * i + 1] = -vertexBuffer[5 * i + 1];
            pos[3 * i + 2] = -vertexBuffer[5 * i + 2];
            uv[2 * i] = vertexBuffer[5 * i + 3];
            // MediaPipe's v grows upwards (OpenGL texture convention)
            uv[2 * i + 1] = 1 - vertexBuffer[5 * i + 4];
        }
        for (int r = 0; r < refCount; r++) {
            weights[(int) refs[2 * r]] = refs[2 * r + 1];
        }
        return new CanonicalFaceMesh(pos, uv, indices, weights);
    }

    /** Just enough protobuf wire format for this file. */
    private static final class ProtoReader {
        private final ByteBuffer buf;

        ProtoReader(ByteBuffer buf) {
            this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean hasMore() {
            return buf.hasRemaining();
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long r = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf.get();
                r |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return r;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        float fixedFloat() {
            return buf.getFloat();
        }

        ProtoReader message() {
            int len = (int) varint();
            ByteBuffer slice = buf.slice(buf.position(), len);
            buf.position(buf.position() + len);
            return new ProtoReader(slice);
        }

        void packedFloats(FloatList out) {
            ProtoReader p = message();
            while (p.hasMore()) {
                out.add(p.fixedFloat());
            }
        }

        void packedVarints(IntList out) {
            ProtoReader p = message();
            while (p.hasMore()) {
                out.add((int) p.varint());
            }
        }

        void skip(int tag) {
            switch (tag & 7) {
            case 0 -> varint();
            case 1 -> buf.position(buf.position() + 8);
            case 2 -> message();
            case 5 -> buf.position(buf.position() + 4);
            default -> throw new IllegalStateException("unsupported protobuf wire type " + (tag & 7));
            }
        }
    }

    private static final class FloatList {
        private float[] a = new float[1024];
        private int n;

        void add(float v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class IntList {
        private int[] a = new int[1024];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
