package org.portraitgen.field.gl.internal.raster;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.portraitgen.api.tracking.Camera;

/** Host mirror of {@code struct Camera} in shaders/common/camera.glsl (std430, 96 bytes). */
public final class CameraBlock {
    public static final int BYTES = 96;

    private CameraBlock() {
    }

    public static ByteBuffer encode(Camera cam, int tileSize) {
        ByteBuffer b = ByteBuffer.allocateDirect(BYTES).order(ByteOrder.nativeOrder());
        double[] r = cam.rotation();
        for (int row = 0; row < 3; row++) {
            b.putFloat((float) r[3 * row]).putFloat((float) r[3 * row + 1]).putFloat((float) r[3 * row + 2])
                    .putFloat(0);
        }
        double[] t = cam.translation();
        b.putFloat((float) t[0]).putFloat((float) t[1]).putFloat((float) t[2]).putFloat(0);
        b.putFloat((float) cam.fx()).putFloat((float) cam.fy()).putFloat((float) cam.cx()).putFloat((float) cam.cy());
        b.putInt(cam.width()).putInt(cam.height()).putInt(tilesX(cam, tileSize)).putInt(tilesY(cam, tileSize));
        return b.flip();
    }

    public static int tilesX(Camera cam, int tileSize) {
        return (cam.width() + tileSize - 1) / tileSize;
    }

    public static int tilesY(Camera cam, int tileSize) {
        return (cam.height() + tileSize - 1) / tileSize;
    }
}
