package org.portraitgen.field.internal.raster;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.internal.Workers;

/**
 * The differentiable tile rasterizer of 3D Gaussian Splatting on the CPU, in double precision: projectGaussians,
 * intersectTiles (16x16 tiles, per-tile depth sort), rasterizeToPixels (front-to-back compositing of C features,
 * alpha and depth) and the backward of all three.
 *
 * <p>Compositing follows 3DGS exactly: alpha = min(0.99, opacity * exp(power)), Gaussians under alpha 1/255 are
 * skipped, and a pixel stops before the Gaussian that would take its transmittance under 1e-4. Pixel centres are at
 * integer coordinates (OpenCV's convention, as the intrinsics are).
 *
 * <p>Determinism: the forward writes disjoint pixels per tile. The backward accumulates per-Gaussian gradients in a
 * fixed number of bands of tile rows, each into its own buffer, and sums the bands in order, so the result does not
 * depend on the number of threads or their scheduling.
 */
public final class Rasterizer {
    public static final int TILE = 16;
    static final double MAX_ALPHA = 0.99;
    static final double MIN_TRANSMITTANCE = 1e-4;
    /** Fixed backward work split (bands of tile rows); independent of the thread count by design. */
    static final int BANDS = 8;
    /** Per Gaussian in the screen-space gradient buffer: u, v, conic a, b, c, opacity, depth, then C features. */
    private static final int V2D_HEAD = 7;

    private final Workers workers;

    public Rasterizer(Workers workers) {
        this.workers = workers;
    }

    public RasterImage forward(Gaussians g, Camera cam) {
        Projection p = Projection.projectGaussians(g, cam, TILE, workers);
        TileBins bins = TileBins.intersectTiles(p, cam.width(), cam.height(), TILE, workers);
        RasterImage out = new RasterImage(cam.width(), cam.height(), g.channels, p, bins);
        workers.forEach(bins.tilesX * bins.tilesY, t -> rasterizeTile(g, out, t));
        return out;
    }

    private void rasterizeTile(Gaussians g, RasterImage out, int tile) {
        Projection p = out.projection;
        TileBins bins = out.bins;
        int w = out.width;
        int h = out.height;
        int plane = w * h;
        int channels = g.channels;
        double[] feats = g.features;
        int tx0 = (tile % bins.tilesX) * TILE;
        int ty0 = (tile / bins.tilesX) * TILE;
        int start = bins.offsets[tile];
        int end = bins.offsets[tile + 1];
        int[] ids = bins.gaussianIds;
        double[] acc = new double[channels];
        for (int py = ty0; py < Math.min(h, ty0 + TILE); py++) {
            for (int px = tx0; px < Math.min(w, tx0 + TILE); px++) {
                java.util.Arrays.fill(acc, 0);
                double t = 1;
                double depth = 0;
                int last = start;
                for (int k = start; k < end; k++) {
                    int id = ids[k];
                    double dx = p.xy[2 * id] - px;
                    double dy = p.xy[2 * id + 1] - py;
                    double power = -0.5 * (p.conics[3 * id] * dx * dx + p.conics[3 * id + 2] * dy * dy)
                            - p.conics[3 * id + 1] * dx * dy;
                    if (power > 0) {
                        continue;
                    }
                    double alpha = Math.min(MAX_ALPHA, p.opacities[id] * Math.exp(power));
                    if (alpha < Projection.MIN_ALPHA) {
                        continue;
                    }
                    double nextT = t * (1 - alpha);
                    if (nextT < MIN_TRANSMITTANCE) {
                        break;
                    }
                    double weight = alpha * t;
                    int fo = id * channels;
                    for (int c = 0; c < channels; c++) {
                        acc[c] += feats[fo + c] * weight;
                    }
                    depth += p.depths[id] * weight;
                    t = nextT;
                    last = k + 1;
                }
                int pix = py * w + px;
                for (int c = 0; c < channels; c++) {
                    out.features[c * plane + pix] = acc[c];
                }
                out.alpha[pix] = 1 - t;
                out.depth[pix] = depth;
                out.finalT[pix] = t;
                out.lastContributor[pix] = last;
            }
        }
    }

    /**
     * Adds dL/d(parameters) into {@code v}, given dL/d(features) [C, H, W], dL/d(alpha) [H, W] and dL/d(depth)
     * [H, W] (either of the last two may be null).
     */
    public void backward(Gaussians g, Camera cam, RasterImage out, double[] vFeatures, double[] vAlpha,
            double[] vDepth, Gaussians v) {
        int stride = V2D_HEAD + g.channels;
        TileBins bins = out.bins;
        double[][] bands = new double[BANDS][];
        workers.forEach(BANDS, b -> {
            double[] buf = new double[g.count * stride];
            int rowStart = b * bins.tilesY / BANDS;
            int rowEnd = (b + 1) * bins.tilesY / BANDS;
            for (int ty = rowStart; ty < rowEnd; ty++) {
                for (int tx = 0; tx < bins.tilesX; tx++) {
                    backwardTile(g, out, ty * bins.tilesX + tx, vFeatures, vAlpha, vDepth, buf, stride);
                }
            }
            bands[b] = buf;
        });
        double[] v2d = bands[0];
        int chunk = 4096;
        workers.forEach((v2d.length + chunk - 1) / chunk, c -> {
            for (int k = c * chunk, e = Math.min(v2d.length, k + chunk); k < e; k++) {
                double sum = v2d[k];
                for (int b = 1; b < BANDS; b++) {
                    sum += bands[b][k];
                }
                v2d[k] = sum;
            }
        });
        for (int i = 0; i < g.count; i++) {
            int o = i * stride + V2D_HEAD;
            for (int c = 0; c < g.channels; c++) {
                v.features[i * g.channels + c] += v2d[o + c];
            }
        }
        out.projection.backward(g, cam, v2d, stride, v, workers);
    }

    private void backwardTile(Gaussians g, RasterImage out, int tile, double[] vFeatures, double[] vAlpha,
            double[] vDepth, double[] buf, int stride) {
        Projection p = out.projection;
        TileBins bins = out.bins;
        int w = out.width;
        int h = out.height;
        int plane = w * h;
        int channels = g.channels;
        double[] feats = g.features;
        int tx0 = (tile % bins.tilesX) * TILE;
        int ty0 = (tile / bins.tilesX) * TILE;
        int start = bins.offsets[tile];
        int[] ids = bins.gaussianIds;
        double[] dC = new double[channels];
        double[] accum = new double[channels];
        double[] lastF = new double[channels];
        for (int py = ty0; py < Math.min(h, ty0 + TILE); py++) {
            for (int px = tx0; px < Math.min(w, tx0 + TILE); px++) {
                int pix = py * w + px;
                for (int c = 0; c < channels; c++) {
                    dC[c] = vFeatures == null ? 0 : vFeatures[c * plane + pix];
                    accum[c] = 0;
                    lastF[c] = 0;
                }
                double dA = vAlpha == null ? 0 : vAlpha[pix];
                double dD = vDepth == null ? 0 : vDepth[pix];
                double finalT = out.finalT[pix];
                double t = finalT;
                double accD = 0;
                double lastDepth = 0;
                double lastAlpha = 0;
                for (int k = out.lastContributor[pix] - 1; k >= start; k--) {
                    int id = ids[k];
                    double ca = p.conics[3 * id];
                    double cb = p.conics[3 * id + 1];
                    double cc = p.conics[3 * id + 2];
                    double dx = p.xy[2 * id] - px;
                    double dy = p.xy[2 * id + 1] - py;
                    double power = -0.5 * (ca * dx * dx + cc * dy * dy) - cb * dx * dy;
                    if (power > 0) {
                        continue;
                    }
                    double gauss = Math.exp(power);
                    double op = p.opacities[id];
                    double raw = op * gauss;
                    double alpha = Math.min(MAX_ALPHA, raw);
                    if (alpha < Projection.MIN_ALPHA) {
                        continue;
                    }
                    t /= 1 - alpha;
                    double weight = alpha * t;
                    int o = id * stride;
                    int fo = id * channels;
                    double gAlpha = 0;
                    for (int c = 0; c < channels; c++) {
                        buf[o + V2D_HEAD + c] += weight * dC[c];
                        accum[c] = lastAlpha * lastF[c] + (1 - lastAlpha) * accum[c];
                        double f = feats[fo + c];
                        lastF[c] = f;
                        gAlpha += (f - accum[c]) * dC[c];
                    }
                    double z = p.depths[id];
                    accD = lastAlpha * lastDepth + (1 - lastAlpha) * accD;
                    lastDepth = z;
                    gAlpha += (z - accD) * dD;
                    buf[o + 6] += weight * dD;
                    gAlpha *= t;
                    // the output alpha 1 - Π(1 - α) depends on each α through the others' product
                    gAlpha += dA * finalT / (1 - alpha);
                    lastAlpha = alpha;
                    if (raw > MAX_ALPHA) {
                        continue; // clamped: alpha does not move with this Gaussian's parameters
                    }
                    double gPower = gauss * op * gAlpha;
                    buf[o + 5] += gauss * gAlpha;
                    buf[o] += gPower * (-ca * dx - cb * dy);
                    buf[o + 1] += gPower * (-cc * dy - cb * dx);
                    buf[o + 2] += -0.5 * dx * dx * gPower;
                    buf[o + 3] += -dx * dy * gPower;
                    buf[o + 4] += -0.5 * dy * dy * gPower;
                }
            }
        }
    }
}
