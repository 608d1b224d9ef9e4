package org.portraitgen.tracking.dlib.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * dlib's {@code shape_predictor} (Kazemi and Sullivan's ensemble of regression trees, {@code
 * dlib/image_processing/shape_predictor.h}, dlib 19.x) read from its serialized file and evaluated in Java so that it
 * gives the same points as dlib on the same grey image and box.
 * <p>
 * Serialized layout: {@code int version} (1); {@code matrix<float,0,1> initial_shape} (x,y per part, normalised to the
 * box: (0,0) top-left, (1,1) bottom-right); {@code vector<vector<regression_tree>> forests} (one forest per cascade
 * level; a tree is {@code vector<split_feature{unsigned long idx1, idx2; float thresh}>} then {@code
 * vector<matrix<float,0,1>>} leaf shape increments, a full binary tree in breadth-first order); {@code
 * vector<vector<unsigned long>> anchor_idx} and {@code vector<vector<vector<float,2>>> deltas}: per cascade level and
 * feature pixel, the initial-shape part it is anchored to and its offset from that part.
 */
public final class ShapePredictor {

    /** dlib's {@code rectangle}: inclusive pixel bounds, as its face detector returns them. */
    public record Box(long left, long top, long right, long bottom) {
        public Box {
            if (right < left || bottom < top) {
                throw new IllegalArgumentException("empty box " + left + "," + top + " " + right + "," + bottom);
            }
        }
    }

    /**
     * The fitted parts in pixels: {@code x[i], y[i]} before rounding; {@link #roundedX} and {@link #roundedY} give
     * them as dlib's {@code full_object_detection} holds them ({@code dlib::point}: {@code floor(v + 0.5)}).
     */
    public record Shape(double[] x, double[] y) {
        public int parts() {
            return x.length;
        }

        public long roundedX(int i) {
            return (long) Math.floor(x[i] + 0.5);
        }

        public long roundedY(int i) {
            return (long) Math.floor(y[i] + 0.5);
        }
    }

    /** One cascade level: its trees (same depth), their leaf increments, and its feature pixels. */
    private record Level(int trees, int splitsPerTree, int[] idx1, int[] idx2, float[] thresh, float[] leaves,
            int[] anchor, float[] deltaX, float[] deltaY) {
    }

    /** The shortest encoding of a float: mantissa control and 1 byte, exponent control and 1 byte. */
    private static final int MIN_FLOAT_BYTES = 4;
    /** Smaller files are read onto the heap, so that many small reads (tests, fuzzing) leave no mappings behind. */
    private static final long MAP_ABOVE_BYTES = 16 << 20;

    private final Path file;
    private final float[] initialShape;
    private final Level[] levels;

    private ShapePredictor(Path file, float[] initialShape, Level[] levels) {
        this.file = file;
        this.initialShape = initialShape;
        this.levels = levels;
    }

    public Path file() {
        return file;
    }

    public int parts() {
        return initialShape.length / 2;
    }

    public int cascadeLevels() {
        return levels.length;
    }

    public int treesPerLevel(int level) {
        return levels[level].trees;
    }

    public int treeDepth(int level) {
        return Integer.numberOfTrailingZeros(levels[level].splitsPerTree + 1);
    }

    public int featurePixels(int level) {
        return levels[level].anchor.length;
    }

    /** Reads a model file (large ones memory-mapped: the 68-point model is about 100 MB). */
    public static ShapePredictor read(Path file) throws IOException {
        ByteBuffer bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            bytes = ch.size() > MAP_ABOVE_BYTES ? ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size())
                    : ByteBuffer.wrap(Files.readAllBytes(file));
            bytes.order(ByteOrder.LITTLE_ENDIAN);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no dlib shape predictor model here; on Debian"
                    + " `apt-get install libdlib-data` provides /usr/share/dlib/shape_predictor_68_face_landmarks.dat"
                    + " (releng/setup-machine.sh installs it)");
        }
        if (bytes.remaining() >= 3 && bytes.get(0) == 'B' && bytes.get(1) == 'Z' && bytes.get(2) == 'h') {
            throw new IOException(file + " is bzip2-compressed (as dlib.net distributes it): unpack it first with"
                    + " `bunzip2 -k " + file + "`");
        }
        return read(new DlibStream(bytes, file), file);
    }

    private static ShapePredictor read(DlibStream in, Path file) throws IOException {
        long at = in.position();
        long version = in.signed(4, "shape_predictor version");
        if (version != 1) {
            throw in.corrupt(at, "shape_predictor version " + version + " (dlib writes 1)");
        }
        float[] initial = floatColumn(in, "initial_shape");
        if (initial.length == 0 || initial.length % 2 != 0) {
            throw in.corrupt(at, "initial_shape has " + initial.length + " values; expected x,y per part");
        }
        int parts = initial.length / 2;

        int levelCount = in.count("number of cascade levels", 1);
        int[][] idx1 = new int[levelCount][], idx2 = new int[levelCount][];
        float[][] thresh = new float[levelCount][], leaves = new float[levelCount][];
        int[] trees = new int[levelCount], splitsPerTree = new int[levelCount];
        for (int l = 0; l < levelCount; l++) {
            String level = "cascade level " + l;
            trees[l] = in.count("number of trees in " + level, 2);
            for (int t = 0; t < trees[l]; t++) {
                String tree = "tree " + t + " of " + level;
                long treeAt = in.position();
                int splits = in.count("number of splits of " + tree, 3);
                if (t == 0) {
                    // every leaf value takes at least 4 bytes: refuse counts the file cannot hold before allocating
                    double leafFloats = (double) trees[l] * (splits + 1) * initial.length;
                    if (leafFloats * MIN_FLOAT_BYTES > in.remaining()) {
                        throw in.truncated(treeAt, level + " says " + trees[l] + " trees of " + splits
                                + " splits, more leaves than the " + in.remaining() + " bytes left can hold");
                    }
                    splitsPerTree[l] = splits;
                    idx1[l] = new int[trees[l] * splits];
                    idx2[l] = new int[trees[l] * splits];
                    thresh[l] = new float[trees[l] * splits];
                    leaves[l] = new float[(int) leafFloats];
                } else if (splits != splitsPerTree[l]) {
                    throw in.corrupt(treeAt, tree + " has " + splits + " splits, tree 0 of that level has "
                            + splitsPerTree[l]);
                }
                for (int s = 0; s < splits; s++) {
                    int k = t * splits + s;
                    idx1[l][k] = in.unsignedInt("split " + s + " idx1 of " + tree);
                    idx2[l][k] = in.unsignedInt("split " + s + " idx2 of " + tree);
                    thresh[l][k] = in.floatValue("split " + s + " threshold of " + tree);
                }
                long leavesAt = in.position();
                int leafCount = in.count("number of leaves of " + tree, 2);
                if (leafCount != splits + 1 || Integer.bitCount(leafCount) != 1) {
                    throw in.corrupt(leavesAt, tree + " has " + splits + " splits and " + leafCount
                            + " leaves; dlib's trees are full binary trees (leaves = splits + 1, a power of two)");
                }
                for (int leaf = 0; leaf < leafCount; leaf++) {
                    long leafAt = in.position();
                    float[] v = floatColumn(in, "leaf " + leaf + " of " + tree);
                    if (v.length != initial.length) {
                        throw in.corrupt(leafAt, "leaf " + leaf + " of " + tree + " has " + v.length
                                + " values, the shape has " + initial.length);
                    }
                    System.arraycopy(v, 0, leaves[l], (t * leafCount + leaf) * initial.length, v.length);
                }
            }
            if (trees[l] == 0) {
                idx1[l] = idx2[l] = new int[0];
                thresh[l] = leaves[l] = new float[0];
            }
        }

        at = in.position();
        int anchorLevels = in.count("number of anchor_idx levels", 1);
        if (anchorLevels != levelCount) {
            throw in.corrupt(at, anchorLevels + " anchor_idx levels for " + levelCount + " cascade levels");
        }
        int[][] anchors = new int[levelCount][];
        for (int l = 0; l < levelCount; l++) {
            int n = in.count("number of feature pixels of cascade level " + l, 2);
            anchors[l] = new int[n];
            for (int i = 0; i < n; i++) {
                long pixelAt = in.position();
                anchors[l][i] = in.unsignedInt("anchor_idx " + i + " of cascade level " + l);
                if (anchors[l][i] >= parts) {
                    throw in.corrupt(pixelAt, "anchor_idx " + i + " of cascade level " + l + " is part "
                            + anchors[l][i] + " of " + parts);
                }
            }
        }
        at = in.position();
        int deltaLevels = in.count("number of deltas levels", 1);
        if (deltaLevels != levelCount) {
            throw in.corrupt(at, deltaLevels + " deltas levels for " + levelCount + " cascade levels");
        }
        Level[] levels = new Level[levelCount];
        for (int l = 0; l < levelCount; l++) {
            at = in.position();
            int n = in.count("number of deltas of cascade level " + l, 4);
            if (n != anchors[l].length) {
                throw in.corrupt(at, "cascade level " + l + " has " + anchors[l].length + " anchors but " + n
                        + " deltas");
            }
            float[] dx = new float[n], dy = new float[n];
            for (int i = 0; i < n; i++) {
                dx[i] = in.floatValue("delta " + i + " x of cascade level " + l);
                dy[i] = in.floatValue("delta " + i + " y of cascade level " + l);
            }
            for (int k = 0; k < idx1[l].length; k++) {
                if (idx1[l][k] >= n || idx2[l][k] >= n) {
                    throw in.corrupt(at, "a split of cascade level " + l + " (tree " + k / splitsPerTree[l]
                            + ") uses feature pixel " + Math.max(idx1[l][k], idx2[l][k]) + " of " + n);
                }
            }
            levels[l] = new Level(trees[l], splitsPerTree[l], idx1[l], idx2[l], thresh[l], leaves[l], anchors[l], dx,
                    dy);
        }
        if (!in.atEnd()) {
            throw in.corrupt(in.position(), "unexpected bytes after the model");
        }
        return new ShapePredictor(file, initial, levels);
    }

    /** A {@code matrix<float,0,1>}: rows and columns (negative in dlib's current format), then the values. */
    private static float[] floatColumn(DlibStream in, String what) throws IOException {
        long at = in.position();
        long rows = Math.abs(in.signed(8, "rows of " + what));
        long cols = Math.abs(in.signed(8, "columns of " + what));
        if (cols != 1 && rows != 0) {
            throw in.corrupt(at, what + " is a " + rows + "x" + cols + " matrix; a column vector was expected");
        }
        if (rows < 0 || rows > in.remaining() / MIN_FLOAT_BYTES) {
            throw in.truncated(at, what + " says " + rows + " values, more than the " + in.remaining()
                    + " bytes left can hold");
        }
        float[] v = new float[(int) rows];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.floatValue("value " + i + " of " + what);
        }
        return v;
    }

    /**
     * Fits the shape in {@code box} of a grey image, as dlib's {@code shape_predictor::operator()} does: at each
     * cascade level the feature pixels, placed relative to the current shape by the similarity transform from the
     * initial shape, are sampled (0 outside the image) and every tree's leaf increment is added to the shape.
     */
    public Shape predict(GrayImage image, Box box) {
        float[] shape = initialShape.clone();
        int n = parts();
        double boxW = box.right() - box.left(), boxH = box.bottom() - box.top();
        for (Level level : levels) {
            float[] m = similarityWithoutTranslation(initialShape, shape);
            int pixels = level.anchor.length;
            float[] values = new float[pixels];
            for (int i = 0; i < pixels; i++) {
                int a = level.anchor[i];
                // float arithmetic as dlib does it (matrix<float,2,2> * vector<float,2> + location), then double
                float sx = m[0] * level.deltaX[i] + m[1] * level.deltaY[i] + shape[2 * a];
                float sy = m[2] * level.deltaX[i] + m[3] * level.deltaY[i] + shape[2 * a + 1];
                long px = (long) Math.floor(boxW * sx + box.left() + 0.5);
                long py = (long) Math.floor(boxH * sy + box.top() + 0.5);
                values[i] = image.contains(px, py) ? image.get((int) px, (int) py) : 0f;
            }
            int splits = level.splitsPerTree;
            int leafStride = shape.length;
            for (int t = 0; t < level.trees; t++) {
                int base = t * splits;
                int node = 0;
                while (node < splits) {
                    int k = base + node;
                    node = values[level.idx1[k]] - values[level.idx2[k]] > level.thresh[k] ? 2 * node + 1
                            : 2 * node + 2;
                }
                int offset = (t * (splits + 1) + node - splits) * leafStride;
                for (int j = 0; j < leafStride; j++) {
                    shape[j] += level.leaves[offset + j];
                }
            }
        }
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = boxW * shape[2 * i] + box.left();
            y[i] = boxH * shape[2 * i + 1] + box.top();
        }
        return new Shape(x, y);
    }

    /**
     * The 2x2 part (row-major, cast to float as dlib does) of the least-squares similarity from {@code from} to
     * {@code to} (Umeyama 1991). In 2-D it has a closed form: with {@code cov = E[(to - mean)(from - mean)^T]}, scale
     * times rotation is {@code [[p, -q], [q, p]] / var(from)} where {@code p = cov00 + cov11} and {@code q = cov10 -
     * cov01}; this equals dlib's SVD route, including the reflection case.
     */
    static float[] similarityWithoutTranslation(float[] from, float[] to) {
        int n = from.length / 2;
        double mfx = 0, mfy = 0, mtx = 0, mty = 0;
        for (int i = 0; i < n; i++) {
            mfx += from[2 * i];
            mfy += from[2 * i + 1];
            mtx += to[2 * i];
            mty += to[2 * i + 1];
        }
        mfx /= n;
        mfy /= n;
        mtx /= n;
        mty /= n;
        double sigmaFrom = 0, c00 = 0, c01 = 0, c10 = 0, c11 = 0;
        for (int i = 0; i < n; i++) {
            double fx = from[2 * i] - mfx, fy = from[2 * i + 1] - mfy;
            double tx = to[2 * i] - mtx, ty = to[2 * i + 1] - mty;
            sigmaFrom += fx * fx + fy * fy;
            c00 += tx * fx;
            c01 += tx * fy;
            c10 += ty * fx;
            c11 += ty * fy;
        }
        sigmaFrom /= n;
        double p = (c00 + c11) / n, q = (c10 - c01) / n;
        if (sigmaFrom == 0) { // dlib: scale 1, rotation from the SVD of a zero matrix (identity)
            return new float[] { 1, 0, 0, 1 };
        }
        return new float[] { (float) (p / sigmaFrom), (float) (-q / sigmaFrom), (float) (q / sigmaFrom),
                (float) (p / sigmaFrom) };
    }
}
