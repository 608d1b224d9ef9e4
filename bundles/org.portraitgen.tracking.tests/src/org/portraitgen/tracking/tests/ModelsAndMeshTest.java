package org.portraitgen.tracking.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;
import org.portraitgen.tracking.internal.models.MissingModelException;
import org.portraitgen.tracking.internal.models.ModelFiles;
import org.portraitgen.tracking.internal.rig.RigTopology;

/** Model files, the canonical mesh parser and the rig topology built on it. */
class ModelsAndMeshTest {

    @Test
    void aMissingModelNamesItsPackageAndTheSetUpScript(@TempDir Path empty) {
        MissingModelException e = assertThrows(MissingModelException.class,
                () -> new ModelFiles(empty).require(ModelFiles.SELFIE_SEGMENTATION));
        assertTrue(e.getMessage().contains("@mediapipe/selfie_segmentation"), e.getMessage());
        assertTrue(e.getMessage().contains("releng/fetch-models.sh"), e.getMessage());
        e = assertThrows(MissingModelException.class, () -> new ModelFiles(empty).require(ModelFiles.FACE_LANDMARK));
        assertTrue(e.getMessage().contains("@mediapipe/face_mesh"), e.getMessage());
    }

    @Test
    void aModelLinkedFromOutsideTheModelFolderIsNotLoaded(@TempDir Path dir) throws Exception {
        Path models = java.nio.file.Files.createDirectories(dir.resolve("models"));
        Path elsewhere = java.nio.file.Files.write(dir.resolve("planted.tflite"), new byte[] {1, 2, 3});
        java.nio.file.Files.createSymbolicLink(models.resolve(ModelFiles.FACE_LANDMARK), elsewhere);
        MissingModelException e = assertThrows(MissingModelException.class,
                () -> new ModelFiles(models).require(ModelFiles.FACE_LANDMARK));
        assertTrue(e.getMessage().contains("outside the model folder") && e.getMessage().contains(
                elsewhere.toString()), e.getMessage());
        // a real file in the folder is served
        Path inside = java.nio.file.Files.write(models.resolve(ModelFiles.SELFIE_SEGMENTATION), new byte[] {4});
        assertEquals(inside.toRealPath(), new ModelFiles(models).require(ModelFiles.SELFIE_SEGMENTATION));
    }

    @Test
    void canonicalMeshHasMediaPipesVerticesTrianglesUvsAndProcrustesWeights() throws Exception {
        CanonicalFaceMesh mesh = CanonicalFaceMesh.read(Samples.models().require(ModelFiles.CANONICAL_MESH));
        assertEquals(468, mesh.vertexCount());
        assertEquals(898 * 3, mesh.triangles().length);
        for (float uv : mesh.uvs()) {
            assertTrue(uv >= 0 && uv <= 1, "uv " + uv);
        }
        for (int t : mesh.triangles()) {
            assertTrue(t >= 0 && t < 468);
        }
        int weighted = 0;
        for (float w : mesh.weights()) {
            weighted += w > 0 ? 1 : 0;
        }
        assertTrue(weighted >= 20 && weighted <= 40, "weighted landmarks: " + weighted);
        // OpenCV axes: the nose tip (vertex 1) is nearer the camera than the face's outline (cheek 234)
        assertTrue(mesh.positions()[3 * 1 + 2] < mesh.positions()[3 * 234 + 2]);
        // and y grows downwards: the chin (152) is below the forehead (10)
        assertTrue(mesh.positions()[3 * 152 + 1] > mesh.positions()[3 * 10 + 1]);
    }

    @Test
    void rigTopologyAddsShellRingsAroundTheFaceOutline() throws Exception {
        CanonicalFaceMesh mesh = CanonicalFaceMesh.read(Samples.models().require(ModelFiles.CANONICAL_MESH));
        RigTopology topo = new RigTopology(mesh);
        int l = topo.boundary().length;
        assertEquals(36, l, "MediaPipe's face oval has 36 vertices");
        assertEquals(468 + RigTopology.RINGS * l, topo.vertexCount());
        assertEquals(898 + 2 * RigTopology.RINGS * l, topo.triangles().length / 3);
        for (float uv : topo.uvs()) {
            assertTrue(uv >= 0 && uv <= 1);
        }
    }
}
