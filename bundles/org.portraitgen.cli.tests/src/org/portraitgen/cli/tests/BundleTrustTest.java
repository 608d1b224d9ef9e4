package org.portraitgen.cli.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.portraitgen.cli.internal.Cli;
import org.portraitgen.cli.internal.CliEnvironment;

/**
 * Bundle trust with jars signed at test time by a key made at test time (the JDK's keytool and jarsigner):
 * trusted signer, unknown signer, unsigned, tampered by one byte, bad manifest; and a jar dropped straight into
 * dropins/ that stays inactive until trusted.
 */
class BundleTrustTest {

    private static final String PASS = "test-pass";

    @TempDir
    Path dir;
    final BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path keystore;

    private int cli(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Cli.execute(new CliEnvironment(context, new PrintWriter(out, true), new PrintWriter(err, true), dir,
                false), args);
    }

    private Path dropins() {
        return Path.of(context.getProperty("felix.fileinstall.dir"));
    }

    private Path trustDir() {
        return Path.of(context.getProperty("portraitgen.trust.dir"));
    }

    private static void jdkTool(String tool, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", tool)
                .toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, tool + " failed: " + output);
    }

    @BeforeEach
    void keys() throws Exception {
        Files.createDirectories(dropins());
        keystore = dir.resolve("studio.p12");
        jdkTool("keytool", "-genkeypair", "-keystore", keystore.toString(), "-storepass", PASS, "-alias", "studio",
                "-dname", "CN=Test Studio " + UUID.randomUUID(), "-keyalg", "EC", "-validity", "2");
    }

    @AfterEach
    void clean() throws Exception {
        try (var files = Files.list(dropins())) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    /** The example bundle with one extra entry, so each test's jar has its own digest. */
    private Path uniqueExampleJar(String name) throws Exception {
        Path copy = dir.resolve(name + ".jar");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(CliTest.exampleBundleJar()));
                ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                zout.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(zout);
                zout.closeEntry();
            }
            zout.putNextEntry(new ZipEntry("notes/" + name + ".txt"));
            zout.write(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            zout.closeEntry();
        }
        return copy;
    }

    private Path signed(Path jar) throws Exception {
        jdkTool("jarsigner", "-keystore", keystore.toString(), "-storepass", PASS, jar.toString(), "studio");
        return jar;
    }

    private void trustTheSigner() throws Exception {
        Path cert = dir.resolve("studio.cer");
        jdkTool("keytool", "-exportcert", "-keystore", keystore.toString(), "-storepass", PASS, "-alias", "studio",
                "-file", cert.toString());
        Files.createDirectories(trustDir());
        jdkTool("keytool", "-importcert", "-noprompt", "-keystore", trustDir().resolve("signers.p12").toString(),
                "-storetype", "PKCS12", "-storepass", "portraitgen", "-alias", "studio-" + UUID.randomUUID(), "-file",
                cert.toString());
    }

    private void uninstallExample() {
        assertEquals(Cli.OK, cli("bundles", "uninstall", "org.portraitgen.examples.nodes"), err::toString);
    }

    @Test
    void signedByATrustedSignerInstallsWithoutAsking() throws Exception {
        trustTheSigner();
        Path jar = signed(uniqueExampleJar("signed"));
        assertEquals(Cli.OK, cli("bundles", "install", jar.toString()), () -> out + "\n" + err);
        assertTrue(out.toString().contains("example.caption"), out::toString);
        uninstallExample();
    }

    @Test
    void unsignedOrUnknownSignerIsShownAndNeedsExplicitTrust() throws Exception {
        Path unsigned = uniqueExampleJar("unsigned");
        assertEquals(Cli.INVALID, cli("bundles", "install", unsigned.toString()));
        String report = out.toString();
        assertTrue(report.contains("org.portraitgen.examples.nodes 0.1.0") && report.contains("unsigned")
                && report.contains("nodes    example.caption") && report.contains("org.portraitgen.api.node")
                && report.contains("org.portraitgen.api.node.NodeProvider"), report);
        assertTrue(err.toString().contains("--trust"), err::toString);
        try (var files = Files.list(dropins())) {
            assertEquals(0, files.count(), "nothing is copied before trust is given");
        }
        Path otherSigner = signed(uniqueExampleJar("other-signer"));
        assertEquals(Cli.INVALID, cli("bundles", "install", otherSigner.toString()));
        assertTrue(out.toString().contains("NOT in the trust store"), out::toString);

        assertEquals(Cli.OK, cli("bundles", "install", unsigned.toString(), "--trust"), err::toString);
        String recorded = Files.readString(trustDir().resolve("trusted-bundles.txt"));
        assertTrue(recorded.contains("org.portraitgen.examples.nodes 0.1.0"), recorded);
        uninstallExample();
    }

    @Test
    void tamperedJarIsRefusedEvenWithTrust() throws Exception {
        trustTheSigner();
        Path jar = signed(uniqueExampleJar("tampered"));
        Path tampered = dir.resolve("tampered-copy.jar");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(tampered))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                byte[] content = in.readAllBytes();
                if (e.getName().endsWith("CaptionNode.class")) {
                    content[content.length / 2] ^= 1; // one byte changed after signing
                }
                zout.putNextEntry(new ZipEntry(e.getName()));
                zout.write(content);
                zout.closeEntry();
            }
        }
        assertEquals(Cli.INVALID, cli("bundles", "install", tampered.toString(), "--trust"));
        assertTrue(out.toString().contains("TAMPERED") && err.toString().contains("CaptionNode.class"),
                () -> out + "\n" + err);
        assertEquals(Cli.INVALID, cli("bundles", "trust", tampered.toString()));
    }

    @Test
    void badManifestIsRefused() throws Exception {
        Path bad = dir.resolve("bad.jar");
        try (ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(bad))) {
            zout.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zout.write("Manifest-Version: 1.0\nBundle-Version: not.a.version!\n\n".getBytes(StandardCharsets.UTF_8));
            zout.closeEntry();
        }
        assertEquals(Cli.INVALID, cli("bundles", "install", bad.toString(), "--trust"));
        assertTrue(err.toString().contains("no Bundle-SymbolicName"), err::toString);
        Path notAJar = Files.writeString(dir.resolve("text.jar"), "hello");
        assertEquals(Cli.INVALID, cli("bundles", "install", notAJar.toString(), "--trust"));
        assertTrue(err.toString().contains("not a readable jar"), err::toString);
    }

    @Test
    void untrustedJarDroppedIntoDropinsStaysInactiveUntilTrusted() throws Exception {
        Path jar = uniqueExampleJar("dropped");
        Path dropped = Files.copy(jar, dropins().resolve("dropped.jar"));
        await().atMost(Duration.ofSeconds(20)).until(() -> bundle().isPresent());
        Thread.sleep(1500); // several File Install polls: it would have started by now if it could
        assertEquals(Bundle.INSTALLED, bundle().orElseThrow().getState(), "no code of an untrusted bundle runs");
        assertEquals(Cli.OK, cli("nodes", "--brief"));
        assertFalse(out.toString().contains("example.caption"), out::toString);

        assertEquals(Cli.OK, cli("bundles", "trust", dropped.toString()), err::toString);
        await().atMost(Duration.ofSeconds(20)).until(() -> bundle().map(b -> b.getState() == Bundle.ACTIVE
                || b.getState() == Bundle.STARTING).orElse(false));
        assertEquals(Cli.OK, cli("nodes", "--brief"));
        assertTrue(out.toString().contains("example.caption"), out::toString);
        Files.delete(dropped);
        await().atMost(Duration.ofSeconds(20)).until(() -> bundle().isEmpty());
    }

    private java.util.Optional<Bundle> bundle() {
        return Arrays.stream(context.getBundles()).filter(b -> "org.portraitgen.examples.nodes".equals(
                b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED).findFirst();
    }
}
