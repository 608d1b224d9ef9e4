// Backward of covariance2d (common/covariance2d.glsl): a float port of the gradient half of
// Projection.covariance2d in the CPU reference. gCov is dL/d(a, b, c) of cov2; adds dL/d(camera-space mean) into
// gT and returns the gradients of the log-scales and of the raw (unnormalised) quaternion.
void quatMatrixBackward(vec4 q, float dr[9], out vec4 gq) {
    float w = q.x, x = q.y, y = q.z, z = q.w;
    gq.x = 2.0 * (-z * dr[1] + y * dr[2] + z * dr[3] - x * dr[5] - y * dr[6] + x * dr[7]);
    gq.y = 2.0 * (y * dr[1] + z * dr[2] + y * dr[3] - 2.0 * x * dr[4] - w * dr[5] + z * dr[6] + w * dr[7]
            - 2.0 * x * dr[8]);
    gq.z = 2.0 * (-2.0 * y * dr[0] + x * dr[1] + w * dr[2] + x * dr[3] + z * dr[5] - w * dr[6] + z * dr[7]
            - 2.0 * y * dr[8]);
    gq.w = 2.0 * (-2.0 * z * dr[0] - w * dr[1] + x * dr[2] + w * dr[3] - 2.0 * z * dr[4] + y * dr[5] + x * dr[6]
            + y * dr[7]);
}

void covariance2dBackward(Camera cam, vec3 tc, Cov2Terms k, vec3 gCov, inout vec3 gT, out vec3 gLogScale,
        out vec4 gQuat) {
    float g00 = gCov.x;
    float g01 = 0.5 * gCov.y;   // the off-diagonal parameter appears twice in the symmetric matrix
    float g11 = gCov.z;
    float dSigma[9];
    for (int row = 0; row < 3; row++) {
        for (int col = 0; col < 3; col++) {
            float gt0 = g00 * k.t[col] + g01 * k.t[3 + col];
            float gt1 = g01 * k.t[col] + g11 * k.t[3 + col];
            dSigma[3 * row + col] = k.t[row] * gt0 + k.t[3 + row] * gt1;
        }
    }
    float dT[6];
    for (int col = 0; col < 3; col++) {
        dT[col] = 2.0 * (g00 * k.ts[col] + g01 * k.ts[3 + col]);
        dT[3 + col] = 2.0 * (g01 * k.ts[col] + g11 * k.ts[3 + col]);
    }
    float w[9];
    for (int e = 0; e < 3; e++) {
        w[3 * e] = cam.rotation[e].x;
        w[3 * e + 1] = cam.rotation[e].y;
        w[3 * e + 2] = cam.rotation[e].z;
    }
    float dJ[6];
    for (int row = 0; row < 2; row++) {
        for (int col = 0; col < 3; col++) {
            dJ[3 * row + col] = dT[3 * row] * w[3 * col] + dT[3 * row + 1] * w[3 * col + 1]
                    + dT[3 * row + 2] * w[3 * col + 2];
        }
    }
    float fx = cam.intrinsics.x;
    float fy = cam.intrinsics.y;
    float iz = 1.0 / tc.z;
    float iz2 = iz * iz;
    float iz3 = iz2 * iz;
    float gtxc = dJ[2] * (-fx * iz2);
    float gtyc = dJ[5] * (-fy * iz2);
    float gtz = dJ[0] * (-fx * iz2) + dJ[4] * (-fy * iz2) + dJ[2] * (2.0 * fx * k.txc * iz3)
            + dJ[5] * (2.0 * fy * k.tyc * iz3);
    float gtx = 0.0;
    float gty = 0.0;
    if (k.rx < -k.limX || k.rx > k.limX) {
        gtz += gtxc * (k.rx > 0.0 ? k.limX : -k.limX);
    } else {
        gtx += gtxc;
    }
    if (k.ry < -k.limY || k.ry > k.limY) {
        gtz += gtyc * (k.ry > 0.0 ? k.limY : -k.limY);
    } else {
        gty += gtyc;
    }
    gT += vec3(gtx, gty, gtz);
    float dRq[9];
    gLogScale = vec3(0.0);
    for (int row = 0; row < 3; row++) {
        for (int col = 0; col < 3; col++) {
            float dm = 2.0 * (dSigma[3 * row] * k.m[col] + dSigma[3 * row + 1] * k.m[3 + col]
                    + dSigma[3 * row + 2] * k.m[6 + col]);
            gLogScale[col] += dm * k.rq[3 * row + col] * k.sc[col];
            dRq[3 * row + col] = dm * k.sc[col];
        }
    }
    vec4 gqn;
    quatMatrixBackward(k.qn, dRq, gqn);
    gQuat = (gqn - k.qn * dot(gqn, k.qn)) / k.qnorm;
}
