package org.portraitgen.editors.builtin.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.editors.builtin.internal.RequestChecks;

/** Unusable requests fail before any work, with a message naming the parameter at fault. */
class BadInputTest {

    private static final FloatImage IMAGE = TestImages.portrait(20, 16, 1);

    private static EditRequest request(FloatImage image, FloatImage mask, FloatImage reference, FloatImage normals,
            Map<String, Object> params) {
        return new EditRequest(image, mask, reference, normals, null, 1.0, 1, params);
    }

    private static void assertRejected(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should name " + expected);
    }

    @Test
    void maskOfAnotherSizeIsRejected() throws Exception {
        var editor = EditorServices.editor("builtin.cartoon");
        assertRejected("mask is 19x16 but image is 20x16",
                () -> editor.edit(request(IMAGE, new FloatImage(19, 16, 1), null, null, Map.of())));
    }

    @Test
    void wrongChannelCountsAreRejected() throws Exception {
        var editor = EditorServices.editor("builtin.pixelart");
        assertRejected("mask must have 1 channel",
                () -> editor.edit(request(IMAGE, new FloatImage(20, 16, 3), null, null, Map.of())));
        assertRejected("image must have 3 channels",
                () -> editor.edit(request(new FloatImage(20, 16, 1), null, null, null, Map.of())));
        var relight = EditorServices.editor("builtin.relight");
        assertRejected("normals are 10x16 but image is 20x16",
                () -> relight.edit(request(IMAGE, null, null, new FloatImage(10, 16, 3), Map.of())));
    }

    @Test
    void missingReferenceOrMaskIsNamed() throws Exception {
        assertRejected("reference image is required", () -> EditorServices.editor("builtin.styletransfer")
                .edit(request(IMAGE, null, null, null, Map.of())));
        FloatImage mask = TestImages.rightHalf(20, 16);
        assertRejected("reference image is required", () -> EditorServices.editor("builtin.insert")
                .edit(request(IMAGE, mask, null, null, Map.of())));
        assertRejected("mask is required", () -> EditorServices.editor("builtin.insert")
                .edit(request(IMAGE, null, IMAGE, null, Map.of())));
        assertRejected("light=reference needs a reference", () -> EditorServices.editor("builtin.relight")
                .edit(request(IMAGE, null, null, null, Map.of("light", "reference"))));
    }

    @Test
    void badParametersAreNamed() throws Exception {
        var editor = EditorServices.editor("builtin.lego");
        assertRejected("parameter 'stud' must be in", () -> editor.edit(request(IMAGE, null, null, null,
                Map.of("stud", 5.0))));
        assertRejected("parameter 'bricks' is not a parameter", () -> editor.edit(request(IMAGE, null, null, null,
                Map.of("bricks", 1))));
        assertRejected("parameter 'clone' must be one of", () -> EditorServices.editor("builtin.insert")
                .edit(request(IMAGE, TestImages.rightHalf(20, 16), IMAGE, null, Map.of("clone", "magic"))));
        assertRejected("strength must be in [0, 1]", () -> editor.edit(new EditRequest(IMAGE, null, null, null,
                null, 1.5, 1, Map.of())));
    }

    @Test
    void emptyPromptIsRejectedWhereAPromptIsNeeded() {
        EditorDescriptor needsPrompt = new EditorDescriptor("test.prompted", "Prompted", "", List.of(),
                Set.of(EditorInput.PROMPT), 0, false);
        assertRejected("prompt is required", () -> RequestChecks.check(new EditRequest(IMAGE, null, null, null,
                "  ", 1.0, 1, Map.of()), needsPrompt));
    }
}
