package org.portraitgen.trust.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.portraitgen.api.trust.BundleInspection;
import org.portraitgen.fuzz.FuzzSupport;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The bundle-trust jar inspector reads jars from strangers before anything is installed: any bytes give an
 * inspection (MALFORMED for what is not a readable bundle) or an IOException naming the jar, and never a
 * trusted-signer verdict, since the harness trusts no signer.
 */
class JarInspectorFuzzTest {

    private static final Path JAR = FuzzSupport.scratch("trust").resolve("bundle.jar");

    @FuzzTest
    void inspect(byte[] data) {
        FuzzSupport.count("JarInspector");
        FuzzSupport.write(JAR, data);
        BundleInspection inspection;
        try {
            inspection = JarInspector.inspect(JAR, signer -> false);
        } catch (IOException e) {
            FuzzSupport.requireNamesFile(e, JAR);
            return;
        }
        if (inspection == null || inspection.signature() == BundleInspection.Signature.TRUSTED_SIGNER) {
            throw new AssertionError("inspection " + inspection + " with no trusted signer");
        }
    }
}
