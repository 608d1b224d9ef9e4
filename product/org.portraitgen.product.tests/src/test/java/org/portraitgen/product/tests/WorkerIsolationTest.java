package org.portraitgen.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes run in worker processes: a node that crashes the JVM natively, runs out of memory or hangs fails with a
 * report, the other nodes of the run finish, and the command that started the run survives to say so.
 */
class WorkerIsolationTest {

    @TempDir
    Path dir;
    Map<String, String> env = new HashMap<>();

    @BeforeEach
    void dropins() throws Exception {
        Path dropins = Files.createDirectories(dir.resolve("dropins"));
        for (String bundle : new String[] {"org.portraitgen.examples.nodes", "org.portraitgen.testfixtures.faults"}) {
            try (var files = Files.list(Product.projectRoot().resolve("bundles/" + bundle + "/target"))) {
                Path jar = files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
                Files.copy(jar, dropins.resolve(bundle + ".jar"));
            }
        }
        env.put("PORTRAITGEN_DROPINS", dropins.toString());
        env.put("PORTRAITGEN_TRUST_DIR", dir.resolve("trust").toString());
        env.put("PORTRAITGEN_CACHE", dir.resolve("cache").toString());
        try (var jars = Files.list(dropins)) {
            for (Path jar : jars.toList()) {
                Product.Result trusted = Product.run(dir, env, "bundles", "trust", jar.toString());
                org.junit.jupiter.api.Assertions.assertEquals(0, trusted.exitCode(), trusted::toString);
            }
        }
    }

    private Path graph(String mode) throws Exception {
        return Files.writeString(dir.resolve(mode + ".json"), """
                {"schemaVersion": 1, "nodes": [
                  {"id": "boom", "type": "fault.inject", "parameters": {"mode": "%s"}},
                  {"id": "cap", "type": "example.caption", "parameters": {"text": "still here"}}],
                 "edges": []}
                """.formatted(mode));
    }

    private static void assertOnlyTheFaultyNodeFailed(Product.Result r, String why) {
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("boom: failed") && r.err().contains(why), r::toString);
        assertTrue(!r.err().contains("cap:") && r.out().contains("cap") && r.out().contains("succeeded"),
                r::toString);
    }

    @Test
    void nativeCrashFailsOnlyItsNode() throws Exception {
        Product.Result r = Product.run(dir, env, "run", graph("crash").toString(), "--isolation", "worker");
        assertOnlyTheFaultyNodeFailed(r, "crashed in native code");
        assertTrue(r.err().contains("hs_err"), "the crash report is named: " + r);
    }

    @Test
    void outOfMemoryFailsOnlyItsNode() throws Exception {
        env.put("PORTRAITGEN_JVM_OPTS", "-Xmx160m");
        Product.Result r = Product.run(dir, env, "run", graph("oom").toString(), "--isolation", "worker");
        assertOnlyTheFaultyNodeFailed(r, "ran out of memory");
    }

    @Test
    void hangIsStoppedAtTheNodeTimeLimit() throws Exception {
        Product.Result r = Product.run(dir, env, "run", graph("hang").toString(), "--isolation", "worker",
                "--node-timeout", "8");
        assertOnlyTheFaultyNodeFailed(r, "time limit of 8 s");
    }

    @Test
    void workerResultsAreCachedLikeInProcessOnes() throws Exception {
        Path g = graph("ok");
        Product.Result first = Product.run(dir, env, "run", g.toString(), "--isolation", "worker");
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.out().contains("2 node(s) executed"), first::toString);
        Product.Result again = Product.run(dir, env, "run", g.toString(), "--isolation", "in-process");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("0 node(s) executed, 2 from cache"), again::toString);
    }
}
