package org.portraitgen.product.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Launches the materialised product's {@code portraitgen} script in a separate process, as a user does. */
final class Product {

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Path home() {
        Path home = Path.of(System.getProperty("portraitgen.product")).toAbsolutePath().normalize();
        if (!Files.isExecutable(home.resolve("portraitgen"))) {
            throw new AssertionError("the product was not materialised at " + home);
        }
        return home;
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("portraitgen.project.root")).toAbsolutePath().normalize();
    }

    static Path sharedData() {
        return projectRoot().resolve("../shared/data").normalize();
    }

    static Result run(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("portraitgen").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("pg-out", ".txt");
        Path err = Files.createTempFile("pg-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("portraitgen " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
