package org.portraitgen.field.gl.internal.egl;

import static org.lwjgl.egl.EGL10.*;
import static org.lwjgl.egl.EGL12.EGL_RENDERABLE_TYPE;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_API;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_BIT;
import static org.lwjgl.egl.EGL14.eglBindAPI;
import static org.lwjgl.egl.EGL15.*;

import java.util.ArrayList;
import java.util.List;

import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.portraitgen.field.gl.GlException;

/**
 * A surfaceless OpenGL 4.3+ core context through EGL, without a window system: the EGL device platform first
 * (a hardware device preferred over Mesa's software one), Mesa's surfaceless platform as the fallback.
 *
 * <p>The EXT entry points are called through their raw addresses: LWJGL's client-extension flags read false on
 * these drivers (BUILD-NOTES), so its typed wrappers refuse to call functions that are in fact there.
 */
public final class HeadlessEgl implements AutoCloseable {
    static final int EGL_PLATFORM_DEVICE_EXT = 0x313F;
    static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;
    static final int EGL_EXTENSIONS_QUERY = 0x3055;

    public final long display;
    public final long context;
    /** Which EGL device or platform the context runs on, for the capability report. */
    public final String deviceDescription;

    private HeadlessEgl(long display, long context, String deviceDescription) {
        this.display = display;
        this.context = context;
        this.deviceDescription = deviceDescription;
    }

    /** Opens a display and a current context on the calling thread; every later GL call must come from it. */
    public static HeadlessEgl open() {
        try {
            // LWJGL loads libEGL in EGL's static initialiser unless told otherwise; create only if it did not
            if (EGL.getFunctionProvider() == null) {
                EGL.create();
            }
        } catch (Throwable e) {
            throw new GlException("no EGL library could be loaded (libEGL.so.1): " + e.getMessage(), e);
        }
        String clientExtensions = clientExtensions();
        List<String> tried = new ArrayList<>();
        long display = MemoryUtil.NULL;
        String description = null;
        if (clientExtensions.contains("EGL_EXT_device_enumeration")
                || clientExtensions.contains("EGL_EXT_device_base")) {
            Device device = chooseDevice(tried);
            if (device != null) {
                display = platformDisplay(EGL_PLATFORM_DEVICE_EXT, device.handle);
                description = "EGL device " + device.index + (device.software ? " (software)" : "") + ": "
                        + device.extensions;
            }
        }
        if (display == MemoryUtil.NULL && clientExtensions.contains("EGL_MESA_platform_surfaceless")) {
            display = platformDisplay(EGL_PLATFORM_SURFACELESS_MESA, MemoryUtil.NULL);
            description = "Mesa surfaceless platform";
            tried.add("surfaceless");
        }
        if (display == MemoryUtil.NULL) {
            throw new GlException("no headless EGL display: client extensions [" + clientExtensions + "], tried "
                    + tried);
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            var major = stack.mallocInt(1);
            var minor = stack.mallocInt(1);
            if (!eglInitialize(display, major, minor)) {
                throw new GlException("eglInitialize failed on " + description + ": " + eglErrorName());
            }
            EGL.createDisplayCapabilities(display, major.get(0), minor.get(0));
            if (!eglBindAPI(EGL_OPENGL_API)) {
                throw new GlException("EGL display cannot bind the desktop OpenGL API: " + eglErrorName());
            }
            // no surface at all: EGL_SURFACE_TYPE 0 and a surfaceless context (EGL_KHR_surfaceless_context)
            var configAttribs = stack.ints(EGL_SURFACE_TYPE, 0, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE);
            PointerBuffer configs = stack.mallocPointer(1);
            var count = stack.mallocInt(1);
            if (!eglChooseConfig(display, configAttribs, configs, count) || count.get(0) == 0) {
                eglTerminate(display);
                throw new GlException("no EGL config for desktop OpenGL on " + description + ": " + eglErrorName());
            }
            var contextAttribs = stack.ints(EGL_CONTEXT_MAJOR_VERSION, 4, EGL_CONTEXT_MINOR_VERSION, 3,
                    EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE);
            long context = eglCreateContext(display, configs.get(0), EGL_NO_CONTEXT, contextAttribs);
            if (context == EGL_NO_CONTEXT) {
                String error = eglErrorName();
                eglTerminate(display);
                throw new GlException("no OpenGL 4.3 core context on " + description + ": " + error);
            }
            if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
                String error = eglErrorName();
                eglDestroyContext(display, context);
                eglTerminate(display);
                throw new GlException("surfaceless eglMakeCurrent failed on " + description + ": " + error);
            }
            return new HeadlessEgl(display, context, description);
        }
    }

    private record Device(int index, long handle, String extensions, boolean software) {
    }

    /** The first hardware device, else the first device at all (Mesa's llvmpipe marks itself software). */
    private static Device chooseDevice(List<String> tried) {
        long query = EGL.getFunctionProvider().getFunctionAddress("eglQueryDevicesEXT");
        long queryString = EGL.getFunctionProvider().getFunctionAddress("eglQueryDeviceStringEXT");
        if (query == MemoryUtil.NULL || queryString == MemoryUtil.NULL) {
            tried.add("device platform (no eglQueryDevicesEXT)");
            return null;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer devices = stack.mallocPointer(16);
            var count = stack.mallocInt(1);
            if (JNI.callPPI(devices.capacity(), devices.address(), MemoryUtil.memAddress(count), query) == 0) {
                tried.add("device platform (eglQueryDevicesEXT failed)");
                return null;
            }
            Device fallback = null;
            for (int i = 0; i < count.get(0); i++) {
                long handle = devices.get(i);
                long ext = JNI.callPP(handle, EGL_EXTENSIONS_QUERY, queryString);
                String extensions = ext == MemoryUtil.NULL ? "" : MemoryUtil.memASCII(ext);
                boolean software = extensions.contains("EGL_MESA_device_software");
                Device d = new Device(i, handle, extensions, software);
                tried.add("device " + i + (software ? " (software)" : ""));
                if (!software) {
                    return d;
                }
                if (fallback == null) {
                    fallback = d;
                }
            }
            return fallback;
        }
    }

    private static long platformDisplay(int platform, long nativeDisplay) {
        long getPlatformDisplay = EGL.getFunctionProvider().getFunctionAddress("eglGetPlatformDisplayEXT");
        if (getPlatformDisplay == MemoryUtil.NULL) {
            return MemoryUtil.NULL;
        }
        return JNI.callPPP(platform, nativeDisplay, MemoryUtil.NULL, getPlatformDisplay);
    }

    private static String clientExtensions() {
        String s = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
        return s == null ? "" : s;
    }

    static String eglErrorName() {
        return "EGL error 0x" + Integer.toHexString(eglGetError());
    }

    @Override
    public void close() {
        eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(display, context);
        eglTerminate(display);
    }
}
