package org.portraitgen.api.editor;

/** Inputs an editor can ask for beside the image itself. */
public enum EditorInput {
    MASK, HEAD_CROP, NORMALS, DEPTH, REFERENCE_IMAGE, PROMPT
}
