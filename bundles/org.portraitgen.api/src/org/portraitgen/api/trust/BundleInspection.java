package org.portraitgen.api.trust;

import java.nio.file.Path;
import java.util.List;

/**
 * What a bundle jar is and brings, read without installing it: identity, signature, the services its components
 * provide (node types, editors...) and the packages it imports.
 *
 * @param signer       the signing certificate's subject, or null when unsigned
 * @param problems     why it cannot be installed at all (tampered, malformed manifest); empty when it can
 */
public record BundleInspection(Path jar, String symbolicName, String version, Signature signature, String signer,
        String sha256, List<String> providedServices, List<String> nodeTypes, List<String> imports,
        List<String> problems) {

    /** How a jar is signed. */
    public enum Signature {
        /** Every entry signed by a certificate in the trust store. */
        TRUSTED_SIGNER,
        /** Signed, intact, but by a certificate the trust store does not hold. */
        UNKNOWN_SIGNER,
        UNSIGNED,
        /** An entry's content does not match its signed digest, or signed and unsigned entries are mixed. */
        TAMPERED,
        /** Not a readable bundle jar. */
        MALFORMED
    }

    public BundleInspection {
        providedServices = List.copyOf(providedServices);
        nodeTypes = List.copyOf(nodeTypes);
        imports = List.copyOf(imports);
        problems = List.copyOf(problems);
    }

    public boolean installable() {
        return problems.isEmpty();
    }
}
