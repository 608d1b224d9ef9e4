package org.portraitgen.field.internal.raster;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.internal.Workers;

/**
 * projectGaussians: EWA splatting of 3D Gaussians to screen-space ellipses (as 3DGS), and its backward pass.
 * Gaussians behind the near plane, too transparent to reach alpha 1/255, or whose ellipse misses the image are
 * culled: they get an empty tile rectangle and contribute nothing, so they cannot change the render.
 */
final class Projection {
    static final double NEAR = 0.01;
    /** 3DGS's screen-space low-pass dilation, in pixels squared. */
    static final double DILATION = 0.3;
    /** 3DGS clamps the Jacobian's view direction to 1.3x the field of view for stability at the borders. */
    static final double FOV_CLAMP = 1.3;
    static final double MIN_ALPHA = 1.0 / 255.0;

    final int count;
    /** [N, 2] pixel position of the mean. */
    final double[] xy;
    /** [N, 3] inverse 2D covariance: a, b, c of [[a, b], [b, c]]. */
    final double[] conics;
    /** [N] sigmoid of the opacity logit. */
    final double[] opacities;
    /** [N] camera-space z. */
    final double[] depths;
    /** [N, 4] inclusive tile rectangle x0, y0, x1, y1; x0 > x1 when culled. */
    final int[] tileRects;
    /** [N, 2] half-width and half-height in pixels of the box outside which alpha stays under 1/255. */
    final double[] extents;
    int visible;

    Projection(int count) {
        this.count = count;
        xy = new double[2 * count];
        conics = new double[3 * count];
        opacities = new double[count];
        depths = new double[count];
        tileRects = new int[4 * count];
        extents = new double[2 * count];
    }

    static final int CHUNK = 1024;

    static Projection projectGaussians(Gaussians g, Camera cam, int tileSize, Workers workers) {
        Projection p = new Projection(g.count);
        int chunks = (g.count + CHUNK - 1) / CHUNK;
        workers.forEach(chunks, chunk -> {
            double[] scratch = new double[64];
            for (int i = chunk * CHUNK, end = Math.min(g.count, i + CHUNK); i < end; i++) {
                p.projectOne(g, cam, tileSize, i, scratch);
            }
        });
        int visible = 0;
        for (int i = 0; i < g.count; i++) {
            if (p.tileRects[4 * i] <= p.tileRects[4 * i + 2]) {
                visible++;
            }
        }
        p.visible = visible;
        return p;
    }

    private void cull(int i) {
        tileRects[4 * i] = 0;
        tileRects[4 * i + 1] = 0;
        tileRects[4 * i + 2] = -1;
        tileRects[4 * i + 3] = -1;
    }

    private void projectOne(Gaussians g, Camera cam, int tileSize, int i, double[] s) {
        double[] r = cam.rotation();
        double[] tr = cam.translation();
        double mx = g.means[3 * i];
        double my = g.means[3 * i + 1];
        double mz = g.means[3 * i + 2];
        double tx = r[0] * mx + r[1] * my + r[2] * mz + tr[0];
        double ty = r[3] * mx + r[4] * my + r[5] * mz + tr[1];
        double tz = r[6] * mx + r[7] * my + r[8] * mz + tr[2];
        double opacity = 1 / (1 + Math.exp(-g.opacityLogits[i]));
        if (!(tz >= NEAR) || opacity < MIN_ALPHA) {
            cull(i);
            return;
        }
        double[] cov2 = s;
        covariance2d(g, cam, i, tx, ty, tz, cov2, null);
        double a = cov2[0] + DILATION;
        double b = cov2[1];
        double c = cov2[2] + DILATION;
        double det = a * c - b * b;
        if (!(det > 0)) {
            cull(i);
            return;
        }
        double u = cam.fx() * tx / tz + cam.cx();
        double v = cam.fy() * ty / tz + cam.cy();
        // the ellipse where opacity * exp(power) falls to 1/255; no pixel outside it is composited
        double k = Math.sqrt(2 * Math.log(255 * opacity));
        double ex = k * Math.sqrt(a);
        double ey = k * Math.sqrt(c);
        int px0 = (int) Math.max(0, Math.ceil(u - ex));
        int px1 = (int) Math.min(cam.width() - 1, Math.floor(u + ex));
        int py0 = (int) Math.max(0, Math.ceil(v - ey));
        int py1 = (int) Math.min(cam.height() - 1, Math.floor(v + ey));
        if (px0 > px1 || py0 > py1 || !Double.isFinite(u) || !Double.isFinite(v)) {
            cull(i);
            return;
        }
        xy[2 * i] = u;
        xy[2 * i + 1] = v;
        conics[3 * i] = c / det;
        conics[3 * i + 1] = -b / det;
        conics[3 * i + 2] = a / det;
        opacities[i] = opacity;
        depths[i] = tz;
        extents[2 * i] = ex;
        extents[2 * i + 1] = ey;
        tileRects[4 * i] = px0 / tileSize;
        tileRects[4 * i + 1] = py0 / tileSize;
        tileRects[4 * i + 2] = px1 / tileSize;
        tileRects[4 * i + 3] = py1 / tileSize;
    }

    /**
     * cov2 = T Σ Tᵀ with T = J W (J the perspective Jacobian, W the camera rotation) and Σ = M Mᵀ, M = R(q) S.
     * Writes cov2 (a, b, c, without dilation) into s[0..2]; when {@code grad} is non-null it holds
     * dL/d(a, b, c) in grad[0..2] and this adds the chain rule into gt[0..2] = grad[3..5] (camera-space mean),
     * gradient of log-scales into grad[6..8] and of the raw quaternion into grad[9..12].
     */
    static void covariance2d(Gaussians g, Camera cam, int i, double tx, double ty, double tz, double[] s,
            double[] grad) {
        double[] w = cam.rotation();
        double qw = g.quats[4 * i];
        double qx = g.quats[4 * i + 1];
        double qy = g.quats[4 * i + 2];
        double qz = g.quats[4 * i + 3];
        double qn = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
        qw /= qn;
        qx /= qn;
        qy /= qn;
        qz /= qn;
        double[] rq = new double[9];
        Quaternions.toMatrix(qw, qx, qy, qz, rq);
        double[] sc = {Math.exp(g.logScales[3 * i]), Math.exp(g.logScales[3 * i + 1]),
                Math.exp(g.logScales[3 * i + 2])};
        // M = R S: [3, 3]
        double[] m = new double[9];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                m[3 * row + col] = rq[3 * row + col] * sc[col];
            }
        }
        double[] sigma = new double[9];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                sigma[3 * row + col] = m[3 * row] * m[3 * col] + m[3 * row + 1] * m[3 * col + 1]
                        + m[3 * row + 2] * m[3 * col + 2];
            }
        }
        double fx = cam.fx();
        double fy = cam.fy();
        double limX = FOV_CLAMP * 0.5 * cam.width() / fx;
        double limY = FOV_CLAMP * 0.5 * cam.height() / fy;
        double rx = tx / tz;
        double ry = ty / tz;
        boolean clampX = rx < -limX || rx > limX;
        boolean clampY = ry < -limY || ry > limY;
        double txc = Math.min(limX, Math.max(-limX, rx)) * tz;
        double tyc = Math.min(limY, Math.max(-limY, ry)) * tz;
        double iz = 1 / tz;
        double iz2 = iz * iz;
        // J: [2, 3]
        double[] j = {fx * iz, 0, -fx * txc * iz2, 0, fy * iz, -fy * tyc * iz2};
        // T = J W: [2, 3]
        double[] t = new double[6];
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 3; col++) {
                t[3 * row + col] = j[3 * row] * w[col] + j[3 * row + 1] * w[3 + col] + j[3 * row + 2] * w[6 + col];
            }
        }
        // T Σ: [2, 3]
        double[] ts = new double[6];
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 3; col++) {
                ts[3 * row + col] = t[3 * row] * sigma[col] + t[3 * row + 1] * sigma[3 + col]
                        + t[3 * row + 2] * sigma[6 + col];
            }
        }
        s[0] = ts[0] * t[0] + ts[1] * t[1] + ts[2] * t[2];
        s[1] = ts[0] * t[3] + ts[1] * t[4] + ts[2] * t[5];
        s[2] = ts[3] * t[3] + ts[4] * t[4] + ts[5] * t[5];
        if (grad == null) {
            return;
        }
        // dL/dcov2 as a full symmetric matrix; the off-diagonal parameter appears twice
        double g00 = grad[0];
        double g01 = 0.5 * grad[1];
        double g11 = grad[2];
        // dΣ = Tᵀ G T: [3, 3]
        double[] dSigma = new double[9];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                double gt0 = g00 * t[col] + g01 * t[3 + col];
                double gt1 = g01 * t[col] + g11 * t[3 + col];
                dSigma[3 * row + col] = t[row] * gt0 + t[3 + row] * gt1;
            }
        }
        // dT = 2 G T Σ: [2, 3]
        double[] dT = new double[6];
        for (int col = 0; col < 3; col++) {
            dT[col] = 2 * (g00 * ts[col] + g01 * ts[3 + col]);
            dT[3 + col] = 2 * (g01 * ts[col] + g11 * ts[3 + col]);
        }
        // dJ = dT Wᵀ: [2, 3]
        double[] dJ = new double[6];
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 3; col++) {
                dJ[3 * row + col] = dT[3 * row] * w[3 * col] + dT[3 * row + 1] * w[3 * col + 1]
                        + dT[3 * row + 2] * w[3 * col + 2];
            }
        }
        double iz3 = iz2 * iz;
        double gtxc = dJ[2] * (-fx * iz2);
        double gtyc = dJ[5] * (-fy * iz2);
        double gtz = dJ[0] * (-fx * iz2) + dJ[4] * (-fy * iz2) + dJ[2] * (2 * fx * txc * iz3)
                + dJ[5] * (2 * fy * tyc * iz3);
        double gtx = 0;
        double gty = 0;
        if (clampX) {
            gtz += gtxc * (rx > 0 ? limX : -limX);
        } else {
            gtx += gtxc;
        }
        if (clampY) {
            gtz += gtyc * (ry > 0 ? limY : -limY);
        } else {
            gty += gtyc;
        }
        grad[3] += gtx;
        grad[4] += gty;
        grad[5] += gtz;
        // dM = 2 dΣ M
        double[] dRq = new double[9];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                double dm = 2 * (dSigma[3 * row] * m[col] + dSigma[3 * row + 1] * m[3 + col]
                        + dSigma[3 * row + 2] * m[6 + col]);
                grad[6 + col] += dm * rq[3 * row + col] * sc[col];
                dRq[3 * row + col] = dm * sc[col];
            }
        }
        double[] gqn = new double[4];
        Quaternions.matrixBackward(qw, qx, qy, qz, dRq, gqn);
        double dot = gqn[0] * qw + gqn[1] * qx + gqn[2] * qy + gqn[3] * qz;
        grad[9] += (gqn[0] - qw * dot) / qn;
        grad[10] += (gqn[1] - qx * dot) / qn;
        grad[11] += (gqn[2] - qy * dot) / qn;
        grad[12] += (gqn[3] - qz * dot) / qn;
    }

    /**
     * Backward of projectGaussians. {@code v2d} holds per Gaussian, with stride {@code stride}: dL/du, dL/dv,
     * dL/d(conic a, b, c), dL/dopacity, dL/ddepth; gradients are added into {@code v}.
     */
    void backward(Gaussians g, Camera cam, double[] v2d, int stride, Gaussians v, Workers workers) {
        int chunks = (g.count + CHUNK - 1) / CHUNK;
        workers.forEach(chunks, chunk -> {
            double[] s = new double[3];
            double[] grad = new double[13];
            for (int i = chunk * CHUNK, end = Math.min(g.count, i + CHUNK); i < end; i++) {
                if (tileRects[4 * i] > tileRects[4 * i + 2]) {
                    continue;
                }
                backwardOne(g, cam, v2d, i * stride, v, i, s, grad);
            }
        });
    }

    private void backwardOne(Gaussians g, Camera cam, double[] v2d, int o, Gaussians v, int i, double[] s,
            double[] grad) {
        double gu = v2d[o];
        double gv = v2d[o + 1];
        double ga = v2d[o + 2];
        double gb = v2d[o + 3];
        double gc = v2d[o + 4];
        double gop = v2d[o + 5];
        double gz = v2d[o + 6];
        double op = opacities[i];
        v.opacityLogits[i] += gop * op * (1 - op);
        // conic = cov2⁻¹: dL/dcov2 = -Q G Q with G the full-matrix gradient of Q
        double qa = conics[3 * i];
        double qb = conics[3 * i + 1];
        double qc = conics[3 * i + 2];
        double gb2 = 0.5 * gb;
        // G Q
        double m00 = ga * qa + gb2 * qb;
        double m01 = ga * qb + gb2 * qc;
        double m10 = gb2 * qa + gc * qb;
        double m11 = gb2 * qb + gc * qc;
        double c00 = -(qa * m00 + qb * m10);
        double c01 = -(qa * m01 + qb * m11);
        double c11 = -(qb * m01 + qc * m11);
        java.util.Arrays.fill(grad, 0);
        grad[0] = c00;
        grad[1] = 2 * c01;
        grad[2] = c11;
        double[] r = cam.rotation();
        double[] tr = cam.translation();
        double mx = g.means[3 * i];
        double my = g.means[3 * i + 1];
        double mz = g.means[3 * i + 2];
        double tx = r[0] * mx + r[1] * my + r[2] * mz + tr[0];
        double ty = r[3] * mx + r[4] * my + r[5] * mz + tr[1];
        double tz = r[6] * mx + r[7] * my + r[8] * mz + tr[2];
        covariance2d(g, cam, i, tx, ty, tz, s, grad);
        double iz = 1 / tz;
        double gtx = grad[3] + gu * cam.fx() * iz;
        double gty = grad[4] + gv * cam.fy() * iz;
        double gtz = grad[5] - (gu * cam.fx() * tx + gv * cam.fy() * ty) * iz * iz + gz;
        v.means[3 * i] += r[0] * gtx + r[3] * gty + r[6] * gtz;
        v.means[3 * i + 1] += r[1] * gtx + r[4] * gty + r[7] * gtz;
        v.means[3 * i + 2] += r[2] * gtx + r[5] * gty + r[8] * gtz;
        for (int k = 0; k < 3; k++) {
            v.logScales[3 * i + k] += grad[6 + k];
        }
        for (int k = 0; k < 4; k++) {
            v.quats[4 * i + k] += grad[9 + k];
        }
    }
}
