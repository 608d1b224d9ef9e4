package org.portraitgen.tracking.smplx.internal.model;

/**
 * A parametric body or head model (SMPL-X, SMPL, FLAME) as loaded from its file: template, blend shapes, skeleton,
 * skinning weights, faces, landmark embedding and UV layout. Bases stay float32 as shipped; evaluation is double.
 */
public final class BodyModel {
    public final String source;
    public final ModelKind kind;
    /** Vertices V and joints J. */
    public final int vertexCount, jointCount;
    /** [V, 3] rest template. */
    public final float[] template;
    /** [V, 3, K] shape then expression components, K = shapeCount + expressionCount. */
    public final float[] blendDirs;
    public final int shapeCount, expressionCount;
    /** [V, 3, P] pose-corrective blend shapes over (R_j - I) of joints 1..J-1, P = 9 (J - 1); null when absent. */
    public final float[] poseDirs;
    /** [J] parent joint, -1 for the root; parents come before children. */
    public final int[] parents;
    /** Joint regressor as sparse rows: for joint j, vertex indices and weights. */
    public final int[][] regressorVertices;
    public final double[][] regressorWeights;
    /** Skinning weights as sparse rows: for vertex v, joints and weights. */
    public final int[][] skinJoints;
    public final double[][] skinWeights;
    /** [F, 3] triangles. */
    public final int[] faces;
    /** Landmark embedding: [L] face, [L, 3] barycentric coordinates, [L] MediaPipe face-mesh index (-1: none). */
    public final int[] landmarkFaces;
    public final double[] landmarkBarycentrics;
    public final int[] landmarkMediaPipe;
    /** UV layout: [T, 2] texture coordinates and [F, 3] their indices per face; null when the model has none. */
    public final float[] uvCoords;
    public final int[] uvFaces;

    BodyModel(String source, ModelKind kind, int vertexCount, int jointCount, float[] template, float[] blendDirs,
            int shapeCount, int expressionCount, float[] poseDirs, int[] parents, int[][] regressorVertices,
            double[][] regressorWeights, int[][] skinJoints, double[][] skinWeights, int[] faces, int[] landmarkFaces,
            double[] landmarkBarycentrics, int[] landmarkMediaPipe, float[] uvCoords, int[] uvFaces) {
        this.source = source;
        this.kind = kind;
        this.vertexCount = vertexCount;
        this.jointCount = jointCount;
        this.template = template;
        this.blendDirs = blendDirs;
        this.shapeCount = shapeCount;
        this.expressionCount = expressionCount;
        this.poseDirs = poseDirs;
        this.parents = parents;
        this.regressorVertices = regressorVertices;
        this.regressorWeights = regressorWeights;
        this.skinJoints = skinJoints;
        this.skinWeights = skinWeights;
        this.faces = faces;
        this.landmarkFaces = landmarkFaces;
        this.landmarkBarycentrics = landmarkBarycentrics;
        this.landmarkMediaPipe = landmarkMediaPipe;
        this.uvCoords = uvCoords;
        this.uvFaces = uvFaces;
    }

    public int blendCount() {
        return shapeCount + expressionCount;
    }

    public int landmarkCount() {
        return landmarkFaces.length;
    }

    public int faceCount() {
        return faces.length / 3;
    }

    public int poseBasisCount() {
        return poseDirs == null ? 0 : 9 * (jointCount - 1);
    }
}
