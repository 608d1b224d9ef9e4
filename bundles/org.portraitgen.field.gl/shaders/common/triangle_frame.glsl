// A rig triangle's frame as shaders/bind/triangle_frames.comp writes it (FRAME_STRIDE floats each).
struct TriangleFrame {
    vec3 a;
    vec3 b;
    vec3 n;
    vec4 q; // (w, x, y, z) in .xyzw
    float k;
};

TriangleFrame triangleFrame(uint t) {
    uint o = FRAME_STRIDE * t;
    TriangleFrame f;
    f.a = vec3(frames[o], frames[o + 1u], frames[o + 2u]);
    f.b = vec3(frames[o + 3u], frames[o + 4u], frames[o + 5u]);
    f.n = vec3(frames[o + 6u], frames[o + 7u], frames[o + 8u]);
    f.q = vec4(frames[o + 9u], frames[o + 10u], frames[o + 11u], frames[o + 12u]);
    f.k = frames[o + 13u];
    return f;
}
