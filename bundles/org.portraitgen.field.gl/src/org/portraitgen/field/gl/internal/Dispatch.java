package org.portraitgen.field.gl.internal;

import static org.lwjgl.opengl.GL43C.*;

/** Launching compute work: one place for the barrier that orders a kernel's writes before the next one's reads. */
public final class Dispatch {
    private Dispatch() {
    }

    public static void uniform(int program, int location, int value) {
        glProgramUniform1ui(program, location, value);
    }

    public static void uniform(int program, int location, float value) {
        glProgramUniform1f(program, location, value);
    }

    /** Runs {@code program} on a grid of work groups and makes its buffer writes visible to what follows. */
    public static void run(int program, int groupsX, int groupsY) {
        run(program, groupsX, groupsY, 1);
    }

    /** The same on a three-dimensional grid. */
    public static void run(int program, int groupsX, int groupsY, int groupsZ) {
        if (groupsX == 0 || groupsY == 0 || groupsZ == 0) {
            return;
        }
        glUseProgram(program);
        glDispatchCompute(groupsX, groupsY, groupsZ);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
    }

    public static int groups(long items, int perGroup) {
        return (int) ((items + perGroup - 1) / perGroup);
    }
}
