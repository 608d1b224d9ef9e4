// Mirrors ProjectedGaussian.java (std430, 48 bytes): the screen-space splat that intersectTiles and
// rasterizeToPixels read.
struct ProjectedGaussian {
    vec2 xy;            // pixel position of the mean
    float depth;        // camera-space z
    uint tileCount;     // tiles the ellipse touches; 0 when culled
    vec4 conicOpacity;  // inverse 2D covariance a, b, c of [[a, b], [b, c]], then sigmoid(opacity logit)
    ivec4 tileRect;     // inclusive tile rectangle x0, y0, x1, y1
};
