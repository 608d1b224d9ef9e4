package org.portraitgen.tracking.internal.overlay;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;

import org.portraitgen.tracking.internal.face.Intrinsics;

/**
 * Draws a frame's rig over the frame for a person to check: the face mesh wireframe (green), the shell (blue), the raw
 * landmarks (yellow dots) and a red border on frames without a detection (bridged by interpolation).
 */
public final class OverlayPainter {

    private static final Color FACE = new Color(60, 255, 120, 150);
    private static final Color SHELL = new Color(80, 160, 255, 150);
    private static final Color LANDMARK = new Color(255, 230, 0);

    private OverlayPainter() {
    }

    /**
     * @param vertices camera-space rig vertices of the frame
     * @param rawLandmarks the model's landmarks (image pixels, stride 3) or null when the frame had no face
     */
    public static void paint(BufferedImage image, Intrinsics camera, int[] triangles, int faceVertices,
            float[] vertices, float[] rawLandmarks) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(0.6f));
            int n = vertices.length / 3;
            double[] xy = new double[2 * n];
            for (int i = 0; i < n; i++) {
                double[] p = camera.project(vertices[3 * i], vertices[3 * i + 1], vertices[3 * i + 2]);
                xy[2 * i] = p[0];
                xy[2 * i + 1] = p[1];
            }
            for (int t = 0; t < triangles.length; t += 3) {
                boolean face = triangles[t] < faceVertices && triangles[t + 1] < faceVertices
                        && triangles[t + 2] < faceVertices;
                g.setColor(face ? FACE : SHELL);
                for (int e = 0; e < 3; e++) {
                    int a = triangles[t + e], b = triangles[t + (e + 1) % 3];
                    g.draw(new Line2D.Double(xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1]));
                }
            }
            if (rawLandmarks != null) {
                g.setColor(LANDMARK);
                for (int i = 0; i < rawLandmarks.length / 3; i++) {
                    g.fillRect((int) Math.round(rawLandmarks[3 * i]) - 1, (int) Math.round(rawLandmarks[3 * i + 1]) - 1,
                            2, 2);
                }
            } else {
                g.setColor(Color.RED);
                g.setStroke(new BasicStroke(6f));
                g.drawRect(0, 0, image.getWidth() - 1, image.getHeight() - 1);
            }
        } finally {
            g.dispose();
        }
    }
}
