// EWA: cov2 = T Sigma T^T with T = J W (J the perspective Jacobian, W the camera rotation), Sigma = M M^T,
// M = R(q) S. A float port of Projection.covariance2d (field bundle, internal.raster), same conventions: row-major
// 3x3 arrays, quaternion (w, x, y, z) normalised here, Jacobian direction clamped to 1.3x the field of view.
const float FOV_CLAMP = 1.3;

void quatToMatrix(vec4 q, out float r[9]) {
    float w = q.x, x = q.y, y = q.z, z = q.w;
    r[0] = 1.0 - 2.0 * (y * y + z * z);
    r[1] = 2.0 * (x * y - w * z);
    r[2] = 2.0 * (x * z + w * y);
    r[3] = 2.0 * (x * y + w * z);
    r[4] = 1.0 - 2.0 * (x * x + z * z);
    r[5] = 2.0 * (y * z - w * x);
    r[6] = 2.0 * (x * z - w * y);
    r[7] = 2.0 * (y * z + w * x);
    r[8] = 1.0 - 2.0 * (x * x + y * y);
}

// Intermediate values the backward pass needs again.
struct Cov2Terms {
    float rq[9];
    float sc[3];
    float m[9];
    float t[6];
    float ts[6];
    vec4 qn;        // normalised quaternion
    float qnorm;
    float txc, tyc, rx, ry, limX, limY;
};

vec3 covariance2d(Camera cam, vec4 quat, vec3 logScale, vec3 tc, out Cov2Terms k) {
    k.qnorm = length(quat);
    k.qn = quat / k.qnorm;
    quatToMatrix(k.qn, k.rq);
    k.sc[0] = exp(logScale.x);
    k.sc[1] = exp(logScale.y);
    k.sc[2] = exp(logScale.z);
    for (int row = 0; row < 3; row++) {
        for (int col = 0; col < 3; col++) {
            k.m[3 * row + col] = k.rq[3 * row + col] * k.sc[col];
        }
    }
    float sigma[9];
    for (int row = 0; row < 3; row++) {
        for (int col = 0; col < 3; col++) {
            sigma[3 * row + col] = k.m[3 * row] * k.m[3 * col] + k.m[3 * row + 1] * k.m[3 * col + 1]
                    + k.m[3 * row + 2] * k.m[3 * col + 2];
        }
    }
    float fx = cam.intrinsics.x;
    float fy = cam.intrinsics.y;
    k.limX = FOV_CLAMP * 0.5 * float(cam.size.x) / fx;
    k.limY = FOV_CLAMP * 0.5 * float(cam.size.y) / fy;
    k.rx = tc.x / tc.z;
    k.ry = tc.y / tc.z;
    k.txc = clamp(k.rx, -k.limX, k.limX) * tc.z;
    k.tyc = clamp(k.ry, -k.limY, k.limY) * tc.z;
    float iz = 1.0 / tc.z;
    float iz2 = iz * iz;
    float j[6] = float[6](fx * iz, 0.0, -fx * k.txc * iz2, 0.0, fy * iz, -fy * k.tyc * iz2);
    float w[9];
    for (int e = 0; e < 3; e++) {
        w[3 * e] = cam.rotation[e].x;
        w[3 * e + 1] = cam.rotation[e].y;
        w[3 * e + 2] = cam.rotation[e].z;
    }
    for (int row = 0; row < 2; row++) {
        for (int col = 0; col < 3; col++) {
            k.t[3 * row + col] = j[3 * row] * w[col] + j[3 * row + 1] * w[3 + col] + j[3 * row + 2] * w[6 + col];
        }
    }
    for (int row = 0; row < 2; row++) {
        for (int col = 0; col < 3; col++) {
            k.ts[3 * row + col] = k.t[3 * row] * sigma[col] + k.t[3 * row + 1] * sigma[3 + col]
                    + k.t[3 * row + 2] * sigma[6 + col];
        }
    }
    return vec3(k.ts[0] * k.t[0] + k.ts[1] * k.t[1] + k.ts[2] * k.t[2],
            k.ts[0] * k.t[3] + k.ts[1] * k.t[4] + k.ts[2] * k.t[5],
            k.ts[3] * k.t[3] + k.ts[4] * k.t[4] + k.ts[5] * k.t[5]);
}
