package org.portraitgen.trust.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The installation's trust: {@code signers.p12}, a PKCS12 store of trusted signing certificates (public
 * certificates only; its password guards integrity, not secrets), and {@code trusted-bundles.txt}, one line per jar a
 * person trusted: SHA-256, bundle name, version, who and when.
 */
final class TrustStore {

    private final Path dir;
    private final char[] password;

    TrustStore(Path dir, char[] password) {
        this.dir = dir;
        this.password = password.clone();
    }

    Path dir() {
        return dir;
    }

    boolean trustsSigner(X509Certificate signer) {
        if (signer == null) {
            return false;
        }
        for (X509Certificate trusted : signers()) {
            if (trusted.equals(signer)) {
                return true;
            }
            try {
                signer.verify(trusted.getPublicKey()); // issued by a trusted certificate
                return true;
            } catch (GeneralSecurityException notIssuedByIt) {
                // try the next one
            }
        }
        return false;
    }

    private List<X509Certificate> signers() {
        Path file = dir.resolve("signers.p12");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            List<X509Certificate> out = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                Certificate c = ks.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the trust store " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    synchronized boolean trustsDigest(String sha256) throws IOException {
        Path file = dir.resolve("trusted-bundles.txt");
        if (!Files.isRegularFile(file)) {
            return false;
        }
        return Files.readAllLines(file).stream().anyMatch(l -> l.startsWith(sha256 + " "));
    }

    /** Appends a record atomically (a reader sees the old or the new file, never half a line). */
    synchronized void recordTrust(String sha256, String bsn, String version, String who) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("trusted-bundles.txt");
        List<String> lines = Files.isRegularFile(file) ? new ArrayList<>(Files.readAllLines(file))
                : new ArrayList<>(List.of("# sha256 bundle version trusted-by trusted-at"));
        lines.add(sha256 + " " + bsn + " " + version + " " + who.replace(' ', '_') + " " + Instant.now());
        Path tmp = Files.createTempFile(dir, ".trusted", ".tmp");
        Files.write(tmp, lines);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
