package org.portraitgen.field.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.portraitgen.field.internal.raster.Gaussians;

/**
 * Writes posed Gaussians in the standard 3DGS .ply layout (binary little endian) that common viewers open:
 * x, y, z, nx, ny, nz, f_dc_0..2, opacity (logit), scale_0..2 (log), rot_0..3 (w, x, y, z). f_dc comes from feature
 * channels 0–2, which the feature L1 loss trains towards RGB; they are converted to the SH DC coefficient with
 * (c - 0.5) / 0.28209479 so that a viewer's 0.5 + SH0 · f_dc gives the colour back.
 */
public final class PlyExport {
    /** The zeroth-order SH basis constant: colour = 0.5 + SH_C0 · f_dc. */
    static final double SH_C0 = 0.28209479177387814;

    private PlyExport() {
    }

    public static void write(Gaussians g, Path file) throws IOException {
        String header = "ply\nformat binary_little_endian 1.0\nelement vertex " + g.count + "\n"
                + "property float x\nproperty float y\nproperty float z\n"
                + "property float nx\nproperty float ny\nproperty float nz\n"
                + "property float f_dc_0\nproperty float f_dc_1\nproperty float f_dc_2\n"
                + "property float opacity\n"
                + "property float scale_0\nproperty float scale_1\nproperty float scale_2\n"
                + "property float rot_0\nproperty float rot_1\nproperty float rot_2\nproperty float rot_3\n"
                + "end_header\n";
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                out.write(header.getBytes(StandardCharsets.US_ASCII));
                ByteBuffer b = ByteBuffer.allocate(17 * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < g.count; i++) {
                    b.clear();
                    for (int k = 0; k < 3; k++) {
                        b.putFloat((float) g.means[3 * i + k]);
                    }
                    b.putFloat(0).putFloat(0).putFloat(0);
                    for (int c = 0; c < 3; c++) {
                        double colour = c < g.channels ? g.features[i * g.channels + c] : 0.5;
                        b.putFloat((float) ((colour - 0.5) / SH_C0));
                    }
                    b.putFloat((float) g.opacityLogits[i]);
                    for (int k = 0; k < 3; k++) {
                        b.putFloat((float) g.logScales[3 * i + k]);
                    }
                    double n = Math.sqrt(g.quats[4 * i] * g.quats[4 * i] + g.quats[4 * i + 1] * g.quats[4 * i + 1]
                            + g.quats[4 * i + 2] * g.quats[4 * i + 2] + g.quats[4 * i + 3] * g.quats[4 * i + 3]);
                    for (int k = 0; k < 4; k++) {
                        b.putFloat((float) (g.quats[4 * i + k] / n));
                    }
                    out.write(b.array(), 0, b.position());
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
