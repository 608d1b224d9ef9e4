package org.portraitgen.api.tracking;

/**
 * The rig in one frame.
 *
 * @param vertices   x,y,z per vertex in camera space ({@code 3 * Rig.vertexCount()} floats), same topology each frame
 * @param expression a compact expression descriptor, comparable between frames of one clip
 * @param tracked    false when the frame had no detection and was bridged by interpolation
 */
public record RigState(int frame, Camera camera, float[] vertices, float[] expression, boolean tracked) {
}
