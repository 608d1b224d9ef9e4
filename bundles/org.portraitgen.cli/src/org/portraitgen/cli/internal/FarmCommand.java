package org.portraitgen.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.portraitgen.api.farm.FarmAdapter;
import org.portraitgen.api.farm.FarmStatus;
import org.portraitgen.api.farm.FarmStatus.LayerStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "farm", description = "Status, logs and cancellation of runs submitted with 'run --farm'.",
        subcommands = {FarmCommand.Status.class, FarmCommand.Logs.class, FarmCommand.Cancel.class})
public final class FarmCommand {

    /** Options every farm subcommand shares. */
    static class Target {
        @Parameters(index = "0", paramLabel = "RUN")
        String runId;

        @Option(names = "--farm", paramLabel = "ID", description = "the farm adapter (default: slurm)")
        String farm = "slurm";

        @Option(names = "--cache", paramLabel = "DIR", description = "the run cache the run was submitted with")
        Path cache;

        Path cache(CliEnvironment env) {
            return cache == null ? env.defaultCache() : env.cwd().resolve(cache).toAbsolutePath().normalize();
        }
    }

    static FarmAdapter adapter(CliEnvironment env, String id) {
        return env.service(FarmAdapter.class, "(" + FarmAdapter.ID_PROPERTY + "=" + id + ")");
    }

    @Command(name = "status", description = "Each node of a farm run: state, host, attempts, scheduler job.")
    static final class Status extends Target implements Callable<Integer> {
        private final CliEnvironment env;

        Status(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            FarmStatus status = adapter(env, farm).status(cache(env), runId);
            env.out().printf("run %s: %s%n", runId, status.succeeded() ? "succeeded" : status.finished()
                    ? "did not succeed" : "in progress");
            env.out().printf("  %-14s %-10s %-8s %-8s %-6s %s%n", "node", "state", "job", "host", "tries",
                    "message");
            for (LayerStatus l : status.layers()) {
                env.out().printf("  %-14s %-10s %-8s %-8s %-6d %s%n", l.nodeId(), l.state().name().toLowerCase(),
                        l.schedulerId() == null ? "-" : l.schedulerId(), l.host() == null ? "-" : l.host(),
                        l.attempts(), l.message() == null ? "" : l.message() + (l.state()
                                == FarmStatus.State.FAILED ? " (log: " + l.log() + ")" : ""));
            }
            return status.finished() && !status.succeeded() ? Cli.FAILURE : Cli.OK;
        }
    }

    @Command(name = "logs", description = "Print the log of one node of a farm run.")
    static final class Logs extends Target implements Callable<Integer> {
        private final CliEnvironment env;

        @Parameters(index = "1", paramLabel = "NODE")
        String node;

        Logs(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            LayerStatus layer = adapter(env, farm).status(cache(env), runId).layers().stream()
                    .filter(l -> l.nodeId().equals(node)).findFirst().orElseThrow(() ->
                            new IllegalArgumentException("run " + runId + " has no node '" + node + "'"));
            if (!Files.exists(layer.log())) {
                env.out().println("(no log yet: " + layer.state().name().toLowerCase() + ")");
                return Cli.OK;
            }
            env.out().print(Files.readString(layer.log()));
            return Cli.OK;
        }
    }

    @Command(name = "cancel", description = "Cancel every queued or running task of a farm run.")
    static final class Cancel extends Target implements Callable<Integer> {
        private final CliEnvironment env;

        Cancel(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            adapter(env, farm).cancel(cache(env), runId);
            env.out().println("cancelled run " + runId + "; finished results stay in the cache");
            return Cli.OK;
        }
    }
}
