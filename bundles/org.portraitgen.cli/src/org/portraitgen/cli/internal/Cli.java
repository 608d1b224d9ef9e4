package org.portraitgen.cli.internal;

import org.portraitgen.api.graph.GraphFormatException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portraitgen} command and its subcommands. Exit codes: 0 ok, 1 failure, 2 invalid graph or input. */
@Command(name = "portraitgen", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = "PortraitGen Studio: edit portrait videos in 3D with node graphs.",
        subcommands = {RunCommand.class, RunNodeCommand.class, ValidateCommand.class, ProbeCommand.class,
            NodesCommand.class, GalleryCommand.class, BundlesCommand.class, FarmCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class})
public final class Cli implements Runnable {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int INVALID = 2;

    private final CliEnvironment env;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    Cli(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public void run() {
        spec.commandLine().usage(env.out());
    }

    /** Runs one command line; never throws. */
    public static int execute(CliEnvironment env, String... args) {
        CommandLine cmd = new CommandLine(new Cli(env), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return cls.getDeclaredConstructor(CliEnvironment.class).newInstance(env);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        });
        cmd.setOut(env.out());
        cmd.setErr(env.err());
        cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
            env.err().println("portraitgen: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            // a bad graph document or argument is the user's to fix: exit code 2, like validation problems
            return ex instanceof IllegalArgumentException || ex instanceof GraphFormatException ? INVALID : FAILURE;
        });
        int code = cmd.execute(args);
        env.out().flush();
        env.err().flush();
        return code;
    }
}
