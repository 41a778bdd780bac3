package io.atlascmk.cli;

import io.atlascmk.cli.sandbox.SandboxCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator's command line: {@code rotator sandbox|run|start|status}. */
@Command(name = "rotator", mixinStandardHelpOptions = true, version = "atlas-cmk-rotator 0.1.0",
        description = "Rotates the AWS KMS key that encrypts a MongoDB Atlas project at rest.",
        subcommands = {SandboxCommand.class, RunCommand.class, StartCommand.class, StatusCommand.class})
public final class RotatorCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new RotatorCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
