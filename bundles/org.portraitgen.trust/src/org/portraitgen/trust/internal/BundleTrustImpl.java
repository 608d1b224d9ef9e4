package org.portraitgen.trust.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.trust.BundleInspection;
import org.portraitgen.api.trust.BundleInspection.Signature;
import org.portraitgen.api.trust.BundleTrust;

/**
 * The installation's trust decisions. The trust folder is the framework property {@code portraitgen.trust.dir}
 * (the launcher sets the installation's {@code trust/}).
 */
@Component(service = {BundleTrust.class, BundleTrustImpl.class})
public class BundleTrustImpl implements BundleTrust {

    private TrustStore store;

    @Activate
    void activate(BundleContext context) {
        String dir = context.getProperty("portraitgen.trust.dir");
        String password = context.getProperty("portraitgen.trust.password");
        store = new TrustStore(dir != null ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".portraitgen", "trust"),
                (password == null ? "portraitgen" : password).toCharArray());
    }

    @Override
    public BundleInspection inspect(Path jar) throws IOException {
        return JarInspector.inspect(jar, store::trustsSigner);
    }

    @Override
    public boolean isTrusted(Path jar) throws IOException {
        BundleInspection i = inspect(jar);
        return switch (i.signature()) {
            case TRUSTED_SIGNER -> true;
            case UNSIGNED, UNKNOWN_SIGNER -> store.trustsDigest(i.sha256());
            default -> false;
        };
    }

    @Override
    public void trust(Path jar, String who) throws IOException {
        BundleInspection i = inspect(jar);
        if (i.signature() == Signature.TAMPERED || i.signature() == Signature.MALFORMED) {
            throw new IllegalArgumentException("cannot trust " + jar + ": " + String.join("; ", i.problems()));
        }
        if (!isTrusted(jar)) {
            store.recordTrust(i.sha256(), i.symbolicName(), i.version(), who);
        }
    }

    Path trustDir() {
        return store.dir();
    }
}
