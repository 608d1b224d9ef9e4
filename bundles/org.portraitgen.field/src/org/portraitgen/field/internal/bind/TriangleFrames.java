package org.portraitgen.field.internal.bind;

import org.portraitgen.field.internal.raster.Quaternions;

/**
 * Per-triangle local frames of a posed mesh, as GaussianAvatars defines them: first axis along edge v0→v1, third
 * along the normal, second their cross product; scale k = mean of that edge's length and the triangle's height on
 * it. Gaussians bound to a triangle move, turn and grow with this frame.
 */
public final class TriangleFrames {
    public final int count;
    /** [T, 9] row-major rotation whose columns are the frame's axes. */
    public final double[] rotations;
    /** [T, 4] the same rotation as a unit quaternion (w, x, y, z). */
    public final double[] quats;
    /** [T] frame scale. */
    public final double[] scales;
    /** [T] area of each triangle. */
    public final double[] areas;

    private TriangleFrames(int count) {
        this.count = count;
        rotations = new double[9 * count];
        quats = new double[4 * count];
        scales = new double[count];
        areas = new double[count];
    }

    /**
     * @throws IllegalArgumentException naming the first triangle whose area is (numerically) zero, or a vertex array
     *                                  of the wrong length, or non-finite vertices
     */
    public static TriangleFrames of(float[] vertices, int[] triangles, int vertexCount, String where) {
        if (vertices.length != 3 * vertexCount) {
            throw new IllegalArgumentException(where + ": rig state has " + vertices.length / 3
                    + " vertices, the field was bound to " + vertexCount);
        }
        int t = triangles.length / 3;
        TriangleFrames f = new TriangleFrames(t);
        double[] r = new double[9];
        for (int i = 0; i < t; i++) {
            int a = 3 * triangles[3 * i];
            int b = 3 * triangles[3 * i + 1];
            int c = 3 * triangles[3 * i + 2];
            double e0x = vertices[b] - vertices[a];
            double e0y = vertices[b + 1] - vertices[a + 1];
            double e0z = vertices[b + 2] - vertices[a + 2];
            double e1x = vertices[c] - vertices[a];
            double e1y = vertices[c + 1] - vertices[a + 1];
            double e1z = vertices[c + 2] - vertices[a + 2];
            double nx = e0y * e1z - e0z * e1y;
            double ny = e0z * e1x - e0x * e1z;
            double nz = e0x * e1y - e0y * e1x;
            double cross = Math.sqrt(nx * nx + ny * ny + nz * nz);
            double len0 = Math.sqrt(e0x * e0x + e0y * e0y + e0z * e0z);
            double longest = Math.max(len0, Math.sqrt(e1x * e1x + e1y * e1y + e1z * e1z));
            if (!(cross > 1e-10 * longest * longest) || !Double.isFinite(cross)) {
                throw new IllegalArgumentException(where + ": triangle " + i + " (vertices " + triangles[3 * i] + ", "
                        + triangles[3 * i + 1] + ", " + triangles[3 * i + 2] + ") has zero area or is not finite;"
                        + " Gaussians cannot be bound to it");
            }
            double ax = e0x / len0;
            double ay = e0y / len0;
            double az = e0z / len0;
            nx /= cross;
            ny /= cross;
            nz /= cross;
            double bx = ny * az - nz * ay;
            double by = nz * ax - nx * az;
            double bz = nx * ay - ny * ax;
            r[0] = ax;
            r[1] = bx;
            r[2] = nx;
            r[3] = ay;
            r[4] = by;
            r[5] = ny;
            r[6] = az;
            r[7] = bz;
            r[8] = nz;
            System.arraycopy(r, 0, f.rotations, 9 * i, 9);
            System.arraycopy(Quaternions.fromMatrix(r), 0, f.quats, 4 * i, 4);
            f.areas[i] = 0.5 * cross;
            f.scales[i] = 0.5 * (len0 + cross / len0);
        }
        return f;
    }
}
