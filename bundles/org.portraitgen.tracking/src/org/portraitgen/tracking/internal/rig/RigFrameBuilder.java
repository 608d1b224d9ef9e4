package org.portraitgen.tracking.internal.rig;

import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;
import org.portraitgen.tracking.internal.face.HeadPose;
import org.portraitgen.tracking.internal.face.Intrinsics;

/**
 * The rig's vertices in one frame, in camera space (cm). Face vertices sit on the rays through their (smoothed)
 * landmarks at the depth of the posed canonical mesh, so they reproject onto the landmarks and follow expressions.
 * Shell vertices lie along the rays from the face centre through the boundary vertices, out to the reach the mask
 * asks for, and step back in depth ring by ring (hair and neck are behind the face's outline).
 */
public final class RigFrameBuilder {

    /** Depth added at the outermost ring, cm: about the distance from the cheek line to the back of the ears. */
    static final double SHELL_DEPTH_CM = 6;
    private final RigTopology topology;
    private final CanonicalFaceMesh mesh;
    private final Intrinsics camera;

    public RigFrameBuilder(RigTopology topology, CanonicalFaceMesh mesh, Intrinsics camera) {
        this.topology = topology;
        this.mesh = mesh;
        this.camera = camera;
    }

    /**
     * @param landmarks x,y,(z) per face vertex in image pixels (stride 3)
     * @param outer     per boundary vertex, the outermost ring's distance from the boundary centre (pixels)
     */
    public float[] vertices(float[] landmarks, HeadPose pose, double[] outer) {
        int faceN = topology.faceVertexCount();
        float[] v = new float[3 * topology.vertexCount()];
        double[] r = pose.rotationMatrix();
        for (int i = 0; i < faceN; i++) {
            double depth = pose.apply(r, mesh.positions(), i)[2];
            put(v, i, camera.unproject(landmarks[3 * i], landmarks[3 * i + 1], depth));
        }
        int[] boundary = topology.boundary();
        double[] center = BoundaryCenter.of(landmarks, boundary);
        for (int i = 0; i < boundary.length; i++) {
            int b = boundary[i];
            double bx = landmarks[3 * b] - center[0], by = landmarks[3 * b + 1] - center[1];
            double base = Math.hypot(bx, by);
            double baseDepth = v[3 * b + 2];
            for (int ring = 1; ring <= RigTopology.RINGS; ring++) {
                double f = (double) ring / RigTopology.RINGS;
                double radius = base + (outer[i] - base) * f;
                double u = center[0] + bx / base * radius, w = center[1] + by / base * radius;
                put(v, topology.ringVertex(ring, i), camera.unproject(u, w, baseDepth + SHELL_DEPTH_CM * f));
            }
        }
        return v;
    }

    private static void put(float[] v, int i, double[] p) {
        v[3 * i] = (float) p[0];
        v[3 * i + 1] = (float) p[1];
        v[3 * i + 2] = (float) p[2];
    }
}
