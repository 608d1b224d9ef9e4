package org.portraitgen.field.gl.internal;

import static org.lwjgl.opengl.GL43C.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lwjgl.opengl.KHRShaderSubgroup;
import org.portraitgen.field.gl.GlCapabilities;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.ShaderCompileException;

/**
 * Compute programs built from the bundle's {@code shaders/} resources, compiled once per (file, defines) and cached
 * for the life of the context. The library writes the {@code #version} line and the {@code #define}s (work group
 * sizes, channel counts, capability switches) so that the Java dispatcher and the shader share one value, then
 * {@code #line 1} so the driver's error lines are the file's own.
 */
public final class ShaderLibrary implements AutoCloseable {
    /** Mesa: {@code 0:12(5): error}; NVIDIA: {@code 0(12) : error}. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\s*\\d+[:(](\\d+)[():]", Pattern.MULTILINE);

    /**
     * Test hook: a shader path (as given to {@link #program}) whose source gets a compile error appended, so that
     * tests can provoke a driver's compile failure at start-up. Read at each compile.
     */
    public static final String BREAK_SHADER_PROPERTY = "portraitgen.gl.test.brokenShader";

    private final Map<String, Integer> programs = new HashMap<>();
    private final Map<String, String> capabilityDefines = new TreeMap<>();

    public ShaderLibrary(GlCapabilities caps) {
        if (caps.has("GL_NV_shader_atomic_float")) {
            capabilityDefines.put("HAS_ATOMIC_FLOAT", "1");
        }
        if (caps.has("GL_KHR_shader_subgroup") && subgroupReduceInCompute()) {
            capabilityDefines.put("HAS_SUBGROUP_REDUCE", "1");
        }
    }

    /** Whether compute shaders have subgroup ballots and arithmetic (GL_KHR_shader_subgroup; needs the context). */
    private static boolean subgroupReduceInCompute() {
        int needed = KHRShaderSubgroup.GL_SUBGROUP_FEATURE_BASIC_BIT_KHR
                | KHRShaderSubgroup.GL_SUBGROUP_FEATURE_BALLOT_BIT_KHR
                | KHRShaderSubgroup.GL_SUBGROUP_FEATURE_ARITHMETIC_BIT_KHR;
        int stages = glGetInteger(KHRShaderSubgroup.GL_SUBGROUP_SUPPORTED_STAGES_KHR);
        int features = glGetInteger(KHRShaderSubgroup.GL_SUBGROUP_SUPPORTED_FEATURES_KHR);
        glGetError(); // a driver that lists the extension but refuses the query: no subgroup path
        return (stages & GL_COMPUTE_SHADER_BIT) != 0 && (features & needed) == needed;
    }

    /** The linked program of {@code shaders/<path>} with the given defines; compiled on first use only. */
    public int program(String path, Map<String, ?> defines) {
        Map<String, String> all = new TreeMap<>(capabilityDefines);
        defines.forEach((k, v) -> all.put(k, String.valueOf(v)));
        String key = path + all;
        Integer cached = programs.get(key);
        if (cached != null) {
            return cached;
        }
        int program = build("shaders/" + path, all, path.equals(System.getProperty(BREAK_SHADER_PROPERTY)));
        programs.put(key, program);
        return program;
    }

    public int cachedPrograms() {
        return programs.size();
    }

    private static final Pattern INCLUDE = Pattern.compile("^#include \"([^\"]+)\"\\s*$");

    private static int build(String resource, Map<String, String> defines, boolean broken) {
        String body = expandIncludes(load(resource)) + (broken ? "\nthis line is an injected compile error;\n" : "");
        StringBuilder src = new StringBuilder("#version 430 core\n");
        defines.forEach((k, v) -> src.append("#define ").append(k).append(' ').append(v).append('\n'));
        src.append("#line 1\n").append(body);
        return compileAndLink(resource, src.toString());
    }

    /** Compiles and links one compute shader; public so that tests can feed broken sources. */
    public static int compileAndLink(String name, String source) {
        int shader = glCreateShader(GL_COMPUTE_SHADER);
        if (shader == 0) {
            throw new GlException("glCreateShader failed for " + name + " (GL error 0x" + Integer.toHexString(
                    glGetError()) + ")");
        }
        glShaderSource(shader, source);
        glCompileShader(shader);
        if (glGetShaderi(shader, GL_COMPILE_STATUS) == GL_FALSE) {
            String log = glGetShaderInfoLog(shader);
            glDeleteShader(shader);
            throw new ShaderCompileException(name, firstLine(log), log);
        }
        int program = glCreateProgram();
        glAttachShader(program, shader);
        glLinkProgram(program);
        glDeleteShader(shader);
        if (glGetProgrami(program, GL_LINK_STATUS) == GL_FALSE) {
            String log = glGetProgramInfoLog(program);
            glDeleteProgram(program);
            throw new ShaderCompileException(name, firstLine(log), "link failed: " + log);
        }
        return program;
    }

    /**
     * GLSL has no #include in core: shared struct mirrors live in {@code shaders/common/} and are pasted in here,
     * followed by a {@code #line} so that errors after the include still carry the file's own line numbers.
     */
    private static String expandIncludes(String body) {
        StringBuilder out = new StringBuilder();
        String[] lines = body.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            Matcher m = INCLUDE.matcher(lines[n]);
            if (m.matches()) {
                out.append(load("shaders/" + m.group(1))).append("\n#line ").append(n + 2).append('\n');
            } else {
                out.append(lines[n]).append('\n');
            }
        }
        return out.toString();
    }

    static int firstLine(String log) {
        Matcher m = LOG_LINE.matcher(log);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The text of a shader resource of this bundle (also the Vulkan kernels' GLSL). */
    public static String load(String resource) {
        try (InputStream in = ShaderLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new GlException("shader resource missing from the bundle: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GlException("cannot read shader " + resource + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        programs.values().forEach(p -> glDeleteProgram(p));
        programs.clear();
    }
}
