package org.portraitgen.api.editor;

import java.util.List;
import java.util.Set;

import org.portraitgen.api.node.ParameterSpec;

/**
 * What an editor is and what it needs, so callers (the editor node, the editing loop, the gallery) can supply inputs
 * and report a missing one before calling {@link EditorProvider#edit}.
 *
 * @param id         stable id, used in graphs and as the service property {@code portraitgen.editor.id}
 * @param parameters the editor's own parameters, read from {@link EditRequest#parameters()}
 * @param needs      inputs the editor cannot work without; {@code edit} rejects a request lacking one
 * @param accepts    optional inputs the editor uses when given (e.g. normals a relighter would otherwise estimate)
 * @param resolution the square size the editor works at best (0: any)
 * @param stochastic true when the result varies with the seed (diffusion, seeded strokes)
 */
public record EditorDescriptor(String id, String label, String description, List<ParameterSpec> parameters,
        Set<EditorInput> needs, Set<EditorInput> accepts, int resolution, boolean stochastic) {

    public EditorDescriptor {
        parameters = List.copyOf(parameters);
        needs = Set.copyOf(needs);
        accepts = Set.copyOf(accepts);
    }

    /** An editor without optional inputs (the 0.1 form). */
    public EditorDescriptor(String id, String label, String description, List<ParameterSpec> parameters,
            Set<EditorInput> needs, int resolution, boolean stochastic) {
        this(id, label, description, parameters, needs, Set.of(), resolution, stochastic);
    }

    /** Whether the editor can make use of {@code input}, required or not. */
    public boolean uses(EditorInput input) {
        return needs.contains(input) || accepts.contains(input);
    }
}
