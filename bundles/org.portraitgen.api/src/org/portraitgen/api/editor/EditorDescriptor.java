package org.portraitgen.api.editor;

import java.util.List;
import java.util.Set;

import org.portraitgen.api.node.ParameterSpec;

/**
 * @param id         stable id, used in graphs and as the service property {@code portraitgen.editor.id}
 * @param resolution the square size the editor works at best (0: any)
 * @param stochastic true when the result varies with the seed (diffusion, seeded strokes)
 */
public record EditorDescriptor(String id, String label, String description, List<ParameterSpec> parameters,
        Set<EditorInput> needs, int resolution, boolean stochastic) {

    public EditorDescriptor {
        parameters = List.copyOf(parameters);
        needs = Set.copyOf(needs);
    }
}
