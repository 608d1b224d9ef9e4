package org.portraitgen.trust.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.portraitgen.api.trust.BundleInspection;
import org.portraitgen.api.trust.BundleInspection.Signature;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads a bundle jar without installing it: verifies every entry against its signature (the JDK's jar
 * verification: reading an entry whose content does not match its signed digest throws), and lists the manifest's
 * identity and imports and the services its Declarative Services components provide.
 */
final class JarInspector {

    private JarInspector() {
    }

    static BundleInspection inspect(Path jar, Predicate<X509Certificate> trustedSigner) throws IOException {
        String sha = sha256(jar);
        List<String> problems = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile(), true)) {
            var manifest = jf.getManifest();
            Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            String version = main.getValue("Bundle-Version");
            if (bsn == null || bsn.isBlank()) {
                problems.add(jar + " has no Bundle-SymbolicName in META-INF/MANIFEST.MF: it is not an OSGi bundle");
            }
            if (version != null && !version.trim().matches("\\d+(\\.\\d+){0,2}(\\.[\\w-]+)?")) {
                problems.add(jar + ": Bundle-Version '" + version + "' is not an OSGi version");
            }
            X509Certificate signer = null;
            boolean unsignedContent = false;
            boolean signedContent = false;
            String tampered = null;
            List<String> components = new ArrayList<>();
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                try (InputStream in = jf.getInputStream(entry)) {
                    in.readAllBytes(); // verification happens as the entry is read
                } catch (SecurityException bad) {
                    tampered = entry.getName() + " (" + bad.getMessage() + ")";
                    break;
                }
                if (isSignatureFile(entry.getName())) {
                    continue;
                }
                CodeSigner[] signers = entry.getCodeSigners();
                if (signers == null || signers.length == 0) {
                    unsignedContent = true;
                } else {
                    signedContent = true;
                    Certificate c = signers[0].getSignerCertPath().getCertificates().get(0);
                    signer = c instanceof X509Certificate x ? x : signer;
                }
            }
            if (tampered == null && signedContent && unsignedContent) {
                tampered = "signed and unsigned entries are mixed (entries were added after signing)";
            }
            Signature signature;
            if (tampered != null) {
                signature = Signature.TAMPERED;
                problems.add(jar + " was changed after it was signed: " + tampered);
            } else if (!problems.isEmpty()) {
                signature = Signature.MALFORMED;
            } else if (!signedContent) {
                signature = Signature.UNSIGNED;
            } else {
                signature = trustedSigner.test(signer) ? Signature.TRUSTED_SIGNER : Signature.UNKNOWN_SIGNER;
            }
            String header = main.getValue("Service-Component");
            Set<String> services = new LinkedHashSet<>();
            List<String> nodeTypes = new ArrayList<>();
            if (header != null && signature != Signature.TAMPERED) {
                for (String path : header.split(",")) {
                    readComponent(jf, path.trim(), services, nodeTypes);
                }
            }
            return new BundleInspection(jar, bsn == null ? null : bsn.split(";")[0].trim(),
                    version == null ? "0.0.0" : version.trim(), problems.isEmpty() || tampered != null ? signature
                            : Signature.MALFORMED,
                    signer == null ? null : signer.getSubjectX500Principal().getName(), sha, List.copyOf(services),
                    nodeTypes, imports(main.getValue("Import-Package")), problems);
        } catch (IOException | SecurityException e) {
            // the file itself was readable (its digest is taken): a broken manifest, a bad deflate stream or a size
            // that does not match is the jar's fault, reported like any other malformed jar
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new BundleInspection(jar, null, null, Signature.MALFORMED, null, sha, List.of(), List.of(),
                    List.of(), List.of(jar + " is not a readable jar: " + why));
        }
    }

    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase();
        return upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".RSA")
                || upper.endsWith(".DSA") || upper.endsWith(".EC") || upper.equals("META-INF/MANIFEST.MF"));
    }

    /** Provided interfaces and {@code portraitgen.node.type} properties of one DS component description. */
    private static void readComponent(JarFile jf, String path, Set<String> services, List<String> nodeTypes) {
        JarEntry entry = jf.getJarEntry(path);
        if (entry == null) {
            return;
        }
        try (InputStream in = jf.getInputStream(entry)) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var doc = f.newDocumentBuilder().parse(in);
            NodeList provides = doc.getElementsByTagName("provide");
            for (int i = 0; i < provides.getLength(); i++) {
                services.add(((Element) provides.item(i)).getAttribute("interface"));
            }
            NodeList props = doc.getElementsByTagName("property");
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                if ("portraitgen.node.type".equals(p.getAttribute("name"))) {
                    nodeTypes.add(p.getAttribute("value"));
                }
            }
        } catch (Exception unreadable) {
            services.add("(unreadable component description " + path + ")");
        }
    }

    private static List<String> imports(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        // split on commas outside quotes: version ranges contain commas
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char ch : header.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            }
            if (ch == ',' && !quoted) {
                out.add(cur.toString().split(";")[0].trim());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString().split(";")[0].trim());
        return out;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0;) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
