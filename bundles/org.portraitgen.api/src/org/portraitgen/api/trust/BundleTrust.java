package org.portraitgen.api.trust;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides which bundle jars may run. A jar runs when it is signed by a certificate of the installation's trust
 * store, or when a person trusted that exact jar (by its SHA-256) after seeing what it brings. Untrusted bundles
 * dropped into the watched folder are installed but never resolved, so none of their code runs.
 */
@ProviderType
public interface BundleTrust {

    BundleInspection inspect(Path jar) throws IOException;

    boolean isTrusted(Path jar) throws IOException;

    /**
     * Records that a person trusts this exact jar; refused for tampered or malformed jars.
     *
     * @throws IllegalArgumentException when the jar cannot be trusted at all
     */
    void trust(Path jar, String who) throws IOException;
}
