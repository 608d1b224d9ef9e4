package org.portraitgen.field.gl.internal.service;

import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.field.GpuStatus;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.vk.VkCompute;

/**
 * Opens the shared GL context at start-up (and is the {@link GpuStatus} that reports on it) and, only if it can run compute shaders, registers the GPU
 * {@link GaussianFieldService} ranked above the CPU one (ranking 0), so consumers taking the best-ranked service
 * get the GPU. When no context opens, nothing is registered and one log line says why: the CPU service serves.
 * A registrar rather than a conditional component because DS registers a component's service before activating
 * it; here the context must exist first.
 */
@Component(immediate = true, service = GpuStatus.class)
public class GlFieldServiceRegistrar implements GpuStatus {
    /** How long {@link #report()} waits for a context that is still opening. */
    static final long OPEN_WAIT_SECONDS = 60;
    public static final int RANKING = 10;
    private static final System.Logger LOG = System.getLogger(GlFieldServiceRegistrar.class.getName());

    private GlContext context;
    private GlGaussianFieldService service;
    private ServiceRegistration<GaussianFieldService> registration;
    private volatile String unavailableReason;
    private boolean closed;
    private final CountDownLatch opened = new CountDownLatch(1);
    private volatile String capabilityReport;

    /**
     * Opens the context off the activating thread: creating a GL context can take a second (llvmpipe, a cold
     * driver), and every command-line start would wait for it otherwise.
     */
    @Activate
    void activate(BundleContext bundle) {
        Thread.ofPlatform().daemon().name("portraitgen-gl-open").start(() -> openAndRegister(bundle));
    }

    /** Opens the context and, when it runs compute shaders, registers the GPU service; synchronous. */
    public void openAndRegister(BundleContext bundle) {
        try {
            tryOpenAndRegister(bundle);
        } finally {
            opened.countDown();
        }
    }

    /**
     * The user's GPU switch: {@code -Dportraitgen.gpu=off} or {@code PORTRAITGEN_GPU=off} keeps every consumer on
     * the CPU reference (bit-reproducible results, or a driver to keep out of the process).
     */
    static String disabledBySetting() {
        String value = System.getProperty("portraitgen.gpu");
        String source = "-Dportraitgen.gpu";
        if (value == null) {
            value = System.getenv("PORTRAITGEN_GPU");
            source = "PORTRAITGEN_GPU";
        }
        if (value != null && (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false")
                || value.equals("0"))) {
            return "turned off by " + source + "=" + value;
        }
        return null;
    }

    private void tryOpenAndRegister(BundleContext bundle) {
        String disabled = disabledBySetting();
        if (disabled != null) {
            unavailableReason = disabled;
            LOG.log(Level.INFO, "GPU Gaussian-field service not registered, the CPU one serves: " + disabled);
            return;
        }
        GlContext opened;
        GlGaussianFieldService opening;
        try {
            opened = GlContext.open();
        } catch (GlException | LinkageError e) {
            unavailableReason = e.getMessage();
            LOG.log(Level.WARNING, "GPU Gaussian-field service not registered, the CPU one serves: "
                    + unavailableReason);
            return;
        }
        try {
            opening = new GlGaussianFieldService(opened);
        } catch (GlException | LinkageError e) {
            unavailableReason = e.getMessage();
            LOG.log(Level.WARNING, "GPU Gaussian-field service not registered, the CPU one serves: "
                    + unavailableReason);
            opened.close();
            return;
        }
        synchronized (this) {
            if (closed) { // deactivated while the context was opening
                opening.close();
                opened.close();
                return;
            }
            context = opened;
            service = opening;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("service.ranking", RANKING);
        props.put("portraitgen.field.backend", "gl");
        props.put("portraitgen.gl.renderer", opened.capabilities().renderer());
        // registered outside this object's lock: the registration calls into SCR, and a framework shutting down
        // (SIGTERM of a worker) holds SCR's locks while it deactivates this component, which takes this lock
        ServiceRegistration<GaussianFieldService> registered;
        try {
            registered = bundle.registerService(GaussianFieldService.class, opening, props);
        } catch (IllegalStateException bundleStopping) {
            return; // deactivate closes the context
        }
        boolean lateForClosed;
        synchronized (this) {
            lateForClosed = closed;
            if (!lateForClosed) {
                registration = registered;
                String renderCnn = opening.renderCnnReport();
                capabilityReport = opened.capabilities().report() + (renderCnn == null ? "" : "\n" + renderCnn);
            }
        }
        if (lateForClosed) {
            try {
                registered.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped and took it
            }
            return;
        }
        LOG.log(Level.DEBUG, "GPU Gaussian-field service registered (ranking " + RANKING + ") on "
                + opened.capabilities().renderer() + ", " + opened.capabilities().version());
    }

    @Override
    public boolean available() {
        awaitOpening();
        return capabilityReport != null;
    }

    @Override
    public String report() {
        if (!awaitOpening()) {
            return "GPU: the GL context is still opening after " + OPEN_WAIT_SECONDS + " s";
        }
        String caps = capabilityReport;
        if (caps != null) {
            return "GPU field service: active (ranking " + RANKING + ")\n" + caps + "\n" + vulkanReport();
        }
        return "GPU field service: not active, the CPU one serves. No GPU context opened: " + unavailableReason
                + "\n" + vulkanReport();
    }

    private boolean awaitOpening() {
        try {
            return opened.await(OPEN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Why no GPU service was registered, or null when it was. */
    public String unavailableReason() {
        return unavailableReason;
    }

    /**
     * Does not wait for a context still opening: that one closes itself when it finds the registrar closed. Works
     * outside this object's lock (see {@link #tryOpenAndRegister}): unregistering calls into SCR.
     */
    @Deactivate
    public void deactivate() {
        ServiceRegistration<GaussianFieldService> toUnregister;
        GlGaussianFieldService toClose;
        GlContext contextToClose;
        synchronized (this) {
            closed = true;
            toUnregister = registration;
            toClose = service;
            contextToClose = context;
            registration = null;
            service = null;
            context = null;
        }
        if (toUnregister != null) {
            try {
                toUnregister.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped and took it
            }
        }
        try {
            if (toClose != null) {
                toClose.close();
            }
        } finally {
            if (contextToClose != null) {
                contextToClose.close();
            }
        }
    }

    /** The Vulkan device's lines (the tensor-core CNN's device), opened just for the report, or why there is none. */
    private static String vulkanReport() {
        try (VkCompute vk = VkCompute.open()) {
            return vk.capabilities().report();
        } catch (GlException | LinkageError e) {
            return "Vulkan:            not available (" + e.getMessage() + ")";
        }
    }
}
