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
 * <p>Determinism: the forward writes disjoint pixels per tile. The backward accumulates each (tile, Gaussian) pair's
 * gradient in its own slot and then sums every Gaussian's pairs in tile order, so the result does not depend on the
 * number of threads or their scheduling.
 *
 * <p>Speed: each tile's Gaussians are gathered into per-worker buffers (their features one array each) and split over
 * 4x4 pixel blocks by their 1/255 boxes; a block's list is gathered again as columns, so that a pixel's powers over
 * the list are one vectorised loop and the Gaussians to composite (power neither above 0 nor under
 * log(1/(255·opacity)), which also spares their exp) are picked without branches. Channel loops read and write
 * arrays indexed from 0, which C2 vectorises, and tiles move their features to and from the planar images a row at
 * a time. The forward's arithmetic and order are those of the plain per-Gaussian loop, so its output is
 * bit-identical to it.
 */
public final class Rasterizer {
    public static final int TILE = 16;
    static final double MAX_ALPHA = 0.99;
    static final double MIN_TRANSMITTANCE = 1e-4;
    /** Per Gaussian in the screen-space gradient buffer: u, v, conic a, b, c, opacity, depth, then C features. */
    private static final int V2D_HEAD = 7;

    private final Workers workers;

    public Rasterizer(Workers workers) {
        this.workers = workers;
    }

    /**
     * One worker's tile buffers, reused from tile to tile (grown, never shrunk): the tile's Gaussians gathered in
     * depth order into contiguous arrays, so the per-pixel loops read memory in sequence instead of chasing ids.
     */
    private static final class TileScratch {
        /**
         * Per listed Gaussian: x, y, conic a, b, c, opacity, power below which alpha < 1/255, depth, and its box's
         * half-width and half-height.
         */
        double[] splats = new double[0];
        /** Per block of the tile: which of the tile's Gaussians (local indices, in depth order) can touch it. */
        int[][] blockLists = new int[BLOCKS][0];
        int[] blockCounts = new int[BLOCKS];
        /**
         * The tile's Gaussians' features, one array per Gaussian: a loop over channels that reads one of these and
         * updates {@link #acc} (or {@link #gradRows}) addresses both from index 0, which is what C2's SuperWord
         * needs to prove them independent and vectorise it (a flat [n, C] buffer read at k·C + c is not).
         */
        double[][] featureRows = new double[0][];
        /** Backward: per listed Gaussian, its (tile, Gaussian) slot's feature gradient, summed over the tile. */
        double[][] gradRows = new double[0][];
        /** Backward: per listed Gaussian, the slot's V2D_HEAD screen-space gradients. */
        double[] gradHead = new double[0];
        double[] acc = new double[0];
        double[] dC = new double[0];
        /**
         * The tile's features pixel-major, [TILE², C]: written (forward) or read (backward) one pixel at a time,
         * moved to or from the planar image a tile row of one channel at a time. Going straight to the planar image
         * would touch C addresses a plane apart per pixel, which all fall into the same few L1 sets.
         */
        double[] tileFeatures = new double[0];
        /**
         * One block's list as columns (x, y, conic a, b, c, the power under which alpha < 1/255), every array from
         * index 0, so the pass computing a pixel's powers over the whole list is vectorised by C2.
         */
        double[] blockX = new double[0];
        double[] blockY = new double[0];
        double[] blockA = new double[0];
        double[] blockB = new double[0];
        double[] blockC = new double[0];
        double[] blockFloor = new double[0];
        /** One pixel's power per listed Gaussian, and the list positions (ascending) that pass the power tests. */
        double[] power = new double[0];
        int[] selected = new int[0];

        void gather(Projection p, int[] ids, int start, int end, double[] feats, int channels) {
            int n = end - start;
            if (splats.length < SPLAT * n) {
                splats = new double[SPLAT * Math.max(n, 2 * splats.length / SPLAT)];
            }
            if (featureRows.length < n || (n > 0 && featureRows[0].length != channels)) {
                featureRows = rows(Math.max(n, 2 * featureRows.length), channels);
            }
            if (acc.length != channels) {
                acc = new double[channels];
                dC = new double[channels];
                tileFeatures = new double[TILE * TILE * channels];
            }
            for (int k = 0; k < n; k++) {
                int id = ids[start + k];
                int o = SPLAT * k;
                double op = p.opacities[id];
                splats[o] = p.xy[2 * id];
                splats[o + 1] = p.xy[2 * id + 1];
                splats[o + 2] = p.conics[3 * id];
                splats[o + 3] = p.conics[3 * id + 1];
                splats[o + 4] = p.conics[3 * id + 2];
                splats[o + 5] = op;
                // op·exp(power) < 1/255 for every power under this; the margin dwarfs exp's and log's rounding, so
                // the skip only ever drops Gaussians the exact alpha test would drop too
                splats[o + 6] = Math.log(Projection.MIN_ALPHA / op) - 1e-9;
                splats[o + 7] = p.depths[id];
                splats[o + 8] = p.extents[2 * id];
                splats[o + 9] = p.extents[2 * id + 1];
                System.arraycopy(feats, id * channels, featureRows[k], 0, channels);
            }
        }

        void gatherBlock(int[] list, int listed) {
            if (blockX.length < listed) {
                int m = Math.max(listed, 2 * blockX.length);
                blockX = new double[m];
                blockY = new double[m];
                blockA = new double[m];
                blockB = new double[m];
                blockC = new double[m];
                blockFloor = new double[m];
                power = new double[m];
                selected = new int[m];
            }
            for (int q = 0; q < listed; q++) {
                int o = SPLAT * list[q];
                blockX[q] = splats[o];
                blockY[q] = splats[o + 1];
                blockA[q] = splats[o + 2];
                blockB[q] = splats[o + 3];
                blockC[q] = splats[o + 4];
                blockFloor[q] = splats[o + 6];
            }
        }

        /**
         * Pixel (px, py)'s power for the block's list entries [from, to) into {@link #power}, and into
         * {@link #selected} (from index 0) the positions whose power is neither above 0 nor under the 1/255 floor;
         * returns how many. The same expression as the per-Gaussian test, so the same Gaussians pass with the same powers; the
         * first loop is vectorised and the second has no branch to mispredict.
         */
        int select(int from, int to, int px, int py) {
            double[] x = blockX;
            double[] y = blockY;
            double[] a = blockA;
            double[] b = blockB;
            double[] c = blockC;
            double[] pw = power;
            for (int q = from; q < to; q++) {
                double dx = x[q] - px;
                double dy = y[q] - py;
                pw[q] = -0.5 * (a[q] * dx * dx + c[q] * dy * dy) - b[q] * dx * dy;
            }
            double[] floor = blockFloor;
            int[] sel = selected;
            int count = 0;
            for (int q = from; q < to; q++) {
                double v = pw[q];
                sel[count] = q;
                count += (v > 0 | v < floor[q]) ? 0 : 1;
            }
            return count;
        }

        /** Zeroed gradient slots for the first n listed Gaussians. */
        void clearGradients(int n, int channels) {
            if (gradRows.length < n || (n > 0 && gradRows[0].length != channels)) {
                gradRows = rows(Math.max(n, 2 * gradRows.length), channels);
                gradHead = new double[V2D_HEAD * gradRows.length];
            }
            for (int k = 0; k < n; k++) {
                java.util.Arrays.fill(gradRows[k], 0);
            }
            java.util.Arrays.fill(gradHead, 0, V2D_HEAD * n, 0);
        }

        private static double[][] rows(int n, int channels) {
            double[][] r = new double[n][];
            for (int k = 0; k < n; k++) {
                r[k] = new double[channels];
            }
            return r;
        }

        /**
         * Splits the gathered list over the tile's BLOCK x BLOCK pixel blocks: a Gaussian whose box misses a block
         * cannot reach alpha 1/255 on any of its pixels (the box bounds that ellipse exactly; the margin covers the
         * rounding), so leaving it out changes nothing but the work.
         */
        void binBlocks(int n, int tx0, int ty0) {
            for (int b = 0; b < BLOCKS; b++) {
                if (blockLists[b].length < n) {
                    blockLists[b] = new int[Math.max(n, 2 * blockLists[b].length)];
                }
                blockCounts[b] = 0;
            }
            int perRow = TILE / BLOCK;
            for (int k = 0; k < n; k++) {
                int o = SPLAT * k;
                double u = splats[o];
                double v = splats[o + 1];
                double ex = splats[o + 8] + BOX_MARGIN;
                double ey = splats[o + 9] + BOX_MARGIN;
                // blocks whose pixel range [x0, x0 + BLOCK - 1] meets [u - ex, u + ex]
                int bx0 = Math.max(0, (int) Math.ceil((u - ex - tx0 - (BLOCK - 1)) / BLOCK));
                int bx1 = Math.min(perRow - 1, (int) Math.floor((u + ex - tx0) / BLOCK));
                int by0 = Math.max(0, (int) Math.ceil((v - ey - ty0 - (BLOCK - 1)) / BLOCK));
                int by1 = Math.min(perRow - 1, (int) Math.floor((v + ey - ty0) / BLOCK));
                for (int by = by0; by <= by1; by++) {
                    for (int bx = bx0; bx <= bx1; bx++) {
                        int b = by * perRow + bx;
                        blockLists[b][blockCounts[b]++] = k;
                    }
                }
            }
        }
    }

    private static final int SPLAT = 10;
    /** Pixel blocks within a tile, each with its own Gaussian list. */
    private static final int BLOCK = 4;
    private static final int PER_ROW = TILE / BLOCK;
    /** How many list entries a forward pixel tests at a time (it may stop compositing within any chunk). */
    private static final int SELECT_CHUNK = 32;
    private static final int BLOCKS = PER_ROW * PER_ROW;
    private static final double BOX_MARGIN = 1e-6;
    private final ThreadLocal<TileScratch> scratch = ThreadLocal.withInitial(TileScratch::new);

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
        int channels = g.channels;
        int tx0 = (tile % bins.tilesX) * TILE;
        int ty0 = (tile / bins.tilesX) * TILE;
        int start = bins.offsets[tile];
        int n = bins.offsets[tile + 1] - start;
        TileScratch s = scratch.get();
        s.gather(p, bins.gaussianIds, start, start + n, g.features, channels);
        double[] splats = s.splats;
        double[][] rows = s.featureRows;
        double[] acc = s.acc;
        double[] tileOut = s.tileFeatures;
        s.binBlocks(n, tx0, ty0);
        for (int b = 0; b < BLOCKS; b++) {
            int bx0 = tx0 + (b % PER_ROW) * BLOCK;
            int by0 = ty0 + (b / PER_ROW) * BLOCK;
            int[] list = s.blockLists[b];
            int listed = s.blockCounts[b];
            s.gatherBlock(list, listed);
            double[] power = s.power;
            int[] selected = s.selected;
            for (int py = by0; py < Math.min(h, by0 + BLOCK); py++) {
                for (int px = bx0; px < Math.min(w, bx0 + BLOCK); px++) {
                    java.util.Arrays.fill(acc, 0, channels, 0);
                    double t = 1;
                    double depth = 0;
                    int last = start;
                    // the list in chunks, so a pixel that saturates early does not compute the powers behind
                    int candidates = 0;
                    int chunkEnd = 0;
                    for (int j = 0;; j++) {
                        if (j == candidates) {
                            if (chunkEnd == listed) {
                                break;
                            }
                            int chunkStart = chunkEnd;
                            chunkEnd = Math.min(listed, chunkStart + SELECT_CHUNK);
                            candidates = s.select(chunkStart, chunkEnd, px, py);
                            j = -1;
                            continue;
                        }
                        int q = selected[j];
                        int k = list[q];
                        int o = SPLAT * k;
                        double alpha = Math.min(MAX_ALPHA, splats[o + 5] * Math.exp(power[q]));
                        if (alpha < Projection.MIN_ALPHA) {
                            continue;
                        }
                        double nextT = t * (1 - alpha);
                        if (nextT < MIN_TRANSMITTANCE) {
                            break;
                        }
                        double weight = alpha * t;
                        double[] f = rows[k];
                        for (int c = 0; c < channels; c++) {
                            acc[c] += f[c] * weight;
                        }
                        depth += splats[o + 7] * weight;
                        t = nextT;
                        last = start + k + 1;
                    }
                    int pix = py * w + px;
                    System.arraycopy(acc, 0, tileOut, ((py - ty0) * TILE + px - tx0) * channels, channels);
                    out.alpha[pix] = 1 - t;
                    out.depth[pix] = depth;
                    out.finalT[pix] = t;
                    out.lastContributor[pix] = last;
                }
            }
        }
        int plane = w * h;
        int tw = Math.min(w, tx0 + TILE) - tx0;
        // row by row, so the tile row's pixels stay in L1 while every channel is written out
        for (int y = 0, ye = Math.min(h, ty0 + TILE) - ty0; y < ye; y++) {
            for (int c = 0; c < channels; c++) {
                int row = c * plane + (ty0 + y) * w + tx0;
                for (int x = 0; x < tw; x++) {
                    out.features[row + x] = tileOut[(y * TILE + x) * channels + c];
                }
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
        int[] ids = bins.gaussianIds;
        // each (tile, Gaussian) pair gets its own gradient slot, written only by its tile's task ...
        double[] pairs = new double[ids.length * stride];
        workers.forEach(bins.tilesX * bins.tilesY,
                t -> backwardTile(g, out, t, vFeatures, vAlpha, vDepth, pairs, stride));
        // ... and each Gaussian sums its pairs in tile order: no shared writes, the same sums for any thread count
        int[] pairStart = new int[g.count + 1];
        for (int id : ids) {
            pairStart[id + 1]++;
        }
        for (int i = 0; i < g.count; i++) {
            pairStart[i + 1] += pairStart[i];
        }
        int[] fill = java.util.Arrays.copyOf(pairStart, g.count);
        int[] pairsOf = new int[ids.length];
        for (int k = 0; k < ids.length; k++) {
            pairsOf[fill[ids[k]]++] = k;
        }
        double[] v2d = new double[g.count * stride];
        int chunk = 1024;
        workers.forEach((g.count + chunk - 1) / chunk, c -> {
            // the sum and each addend in arrays indexed from 0, so C2 vectorises the adds
            double[] sum = new double[stride];
            double[] addend = new double[stride];
            for (int i = c * chunk, e = Math.min(g.count, i + chunk); i < e; i++) {
                int o = i * stride;
                if (pairStart[i] == pairStart[i + 1]) {
                    continue;
                }
                System.arraycopy(pairs, pairsOf[pairStart[i]] * stride, sum, 0, stride);
                for (int q = pairStart[i] + 1; q < pairStart[i + 1]; q++) {
                    System.arraycopy(pairs, pairsOf[q] * stride, addend, 0, stride);
                    for (int j = 0; j < stride; j++) {
                        sum[j] += addend[j];
                    }
                }
                System.arraycopy(sum, 0, v2d, o, stride);
                int fo = i * g.channels;
                for (int ch = 0; ch < g.channels; ch++) {
                    v.features[fo + ch] += v2d[o + V2D_HEAD + ch];
                }
            }
        });
        out.projection.backward(g, cam, v2d, stride, v, workers);
    }

    private void backwardTile(Gaussians g, RasterImage out, int tile, double[] vFeatures, double[] vAlpha,
            double[] vDepth, double[] pairs, int stride) {
        Projection p = out.projection;
        TileBins bins = out.bins;
        int w = out.width;
        int h = out.height;
        int plane = w * h;
        int channels = g.channels;
        int tx0 = (tile % bins.tilesX) * TILE;
        int ty0 = (tile / bins.tilesX) * TILE;
        int start = bins.offsets[tile];
        int n = bins.offsets[tile + 1] - start;
        TileScratch s = scratch.get();
        s.gather(p, bins.gaussianIds, start, start + n, g.features, channels);
        double[] splats = s.splats;
        double[][] rows = s.featureRows;
        double[] dC = s.dC;
        s.clearGradients(n, channels);
        double[][] gradRows = s.gradRows;
        double[] head = s.gradHead;
        double[] tileGrad = s.tileFeatures;
        int tw = Math.min(w, tx0 + TILE) - tx0;
        if (vFeatures == null) {
            java.util.Arrays.fill(dC, 0);
        } else {
            for (int y = 0, ye = Math.min(h, ty0 + TILE) - ty0; y < ye; y++) {
                for (int c = 0; c < channels; c++) {
                    int row = c * plane + (ty0 + y) * w + tx0;
                    for (int x = 0; x < tw; x++) {
                        tileGrad[(y * TILE + x) * channels + c] = vFeatures[row + x];
                    }
                }
            }
        }
        s.binBlocks(n, tx0, ty0);
        for (int b = 0; b < BLOCKS; b++) {
            int bx0 = tx0 + (b % PER_ROW) * BLOCK;
            int by0 = ty0 + (b / PER_ROW) * BLOCK;
            int[] list = s.blockLists[b];
            int listed = s.blockCounts[b];
            s.gatherBlock(list, listed);
            double[] power = s.power;
            int[] selected = s.selected;
            for (int py = by0; py < Math.min(h, by0 + BLOCK); py++) {
                for (int px = bx0; px < Math.min(w, bx0 + BLOCK); px++) {
                    int pix = py * w + px;
                    if (vFeatures != null) {
                        System.arraycopy(tileGrad, ((py - ty0) * TILE + px - tx0) * channels, dC, 0, channels);
                    }
                    double dA = vAlpha == null ? 0 : vAlpha[pix];
                    double dD = vDepth == null ? 0 : vDepth[pix];
                    double finalT = out.finalT[pix];
                    double t = finalT;
                    double accD = 0;
                    double lastDepth = 0;
                    // Σ_c accum_c·dC_c and the last Gaussian's Σ_c f_c·dC_c: accum (the features composited
                    // behind) is a linear recurrence, so its dot with the pixel's fixed dC follows the same one
                    double accF = 0;
                    double lastFd = 0;
                    double lastAlpha = 0;
                    // only the Gaussians in front of the last one the forward composited
                    int lastLocal = out.lastContributor[pix] - start;
                    int front = listed;
                    while (front > 0 && list[front - 1] >= lastLocal) {
                        front--;
                    }
                    int candidates = s.select(0, front, px, py);
                    for (int j = candidates - 1; j >= 0; j--) {
                        int q = selected[j];
                        int k = list[q];
                        int so = SPLAT * k;
                        double gauss = Math.exp(power[q]);
                        double op = splats[so + 5];
                        double raw = op * gauss;
                        double alpha = Math.min(MAX_ALPHA, raw);
                        if (alpha < Projection.MIN_ALPHA) {
                            continue;
                        }
                        t /= 1 - alpha;
                        double weight = alpha * t;
                        int o = V2D_HEAD * k;
                        double[] f = rows[k];
                        double[] gf = gradRows[k];
                        for (int c = 0; c < channels; c++) {
                            gf[c] += weight * dC[c];
                        }
                        double fd = dot(f, dC, channels);
                        accF = lastAlpha * lastFd + (1 - lastAlpha) * accF;
                        lastFd = fd;
                        double gAlpha = fd - accF;
                        double z = splats[so + 7];
                        accD = lastAlpha * lastDepth + (1 - lastAlpha) * accD;
                        lastDepth = z;
                        gAlpha += (z - accD) * dD;
                        head[o + 6] += weight * dD;
                        gAlpha *= t;
                        // the output alpha 1 - Π(1 - α) depends on each α through the others' product
                        gAlpha += dA * finalT / (1 - alpha);
                        lastAlpha = alpha;
                        if (raw > MAX_ALPHA) {
                            continue; // clamped: alpha does not move with this Gaussian's parameters
                        }
                        double ca = splats[so + 2];
                        double cb = splats[so + 3];
                        double cc = splats[so + 4];
                        double dx = splats[so] - px;
                        double dy = splats[so + 1] - py;
                        double gPower = gauss * op * gAlpha;
                        head[o + 5] += gauss * gAlpha;
                        head[o] += gPower * (-ca * dx - cb * dy);
                        head[o + 1] += gPower * (-cc * dy - cb * dx);
                        head[o + 2] += -0.5 * dx * dx * gPower;
                        head[o + 3] += -dx * dy * gPower;
                        head[o + 4] += -0.5 * dy * dy * gPower;
                    }
                }
            }
        }
        for (int k = 0; k < n; k++) {
            int o = (start + k) * stride;
            System.arraycopy(head, V2D_HEAD * k, pairs, o, V2D_HEAD);
            System.arraycopy(gradRows[k], 0, pairs, o + V2D_HEAD, channels);
        }
    }

    /** Σ a[c]·b[c] in four interleaved partial sums: a quarter of a sequential sum's chain of dependent adds. */
    private static double dot(double[] a, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int c = 0;
        for (; c + 3 < n; c += 4) {
            s0 += a[c] * b[c];
            s1 += a[c + 1] * b[c + 1];
            s2 += a[c + 2] * b[c + 2];
            s3 += a[c + 3] * b[c + 3];
        }
        for (; c < n; c++) {
            s0 += a[c] * b[c];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
