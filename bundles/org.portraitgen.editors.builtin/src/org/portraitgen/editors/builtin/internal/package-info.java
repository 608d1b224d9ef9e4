/**
 * Editors that need no downloaded weights. Each is a DS component providing
 * {@link org.portraitgen.api.editor.EditorProvider} with the service property {@code portraitgen.editor.id}; all
 * work on sRGB-encoded planes in [0, 1] of any size and leave pixels outside the request's mask unchanged.
 */
package org.portraitgen.editors.builtin.internal;
