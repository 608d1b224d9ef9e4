package org.portraitgen.field.gl.internal.service;

import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;

/**
 * Opens the shared GL context at start-up and, only if it can run compute shaders, registers the GPU
 * {@link GaussianFieldService} ranked above the CPU one (ranking 0), so consumers taking the best-ranked service
 * get the GPU. When no context opens, nothing is registered and one log line says why: the CPU service serves.
 * A registrar rather than a conditional component because DS registers a component's service before activating
 * it; here the context must exist first.
 */
@Component(immediate = true, service = {})
public class GlFieldServiceRegistrar {
    public static final int RANKING = 10;
    private static final System.Logger LOG = System.getLogger(GlFieldServiceRegistrar.class.getName());

    private GlContext context;
    private GlGaussianFieldService service;
    private ServiceRegistration<GaussianFieldService> registration;
    private String unavailableReason;

    @Activate
    public void activate(BundleContext bundle) {
        try {
            context = GlContext.open();
            service = new GlGaussianFieldService(context);
        } catch (GlException | LinkageError e) {
            unavailableReason = e.getMessage();
            LOG.log(Level.WARNING, "GPU Gaussian-field service not registered, the CPU one serves: "
                    + unavailableReason);
            closeQuietly();
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("service.ranking", RANKING);
        props.put("portraitgen.field.backend", "gl");
        props.put("portraitgen.gl.renderer", context.capabilities().renderer());
        registration = bundle.registerService(GaussianFieldService.class, service, props);
        LOG.log(Level.INFO, "GPU Gaussian-field service registered (ranking " + RANKING + ") on "
                + context.capabilities().renderer() + ", " + context.capabilities().version());
    }

    /** Why no GPU service was registered, or null when it was. */
    public String unavailableReason() {
        return unavailableReason;
    }

    @Deactivate
    public void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            service = null;
            if (context != null) {
                context.close();
                context = null;
            }
        }
    }
}
