package io.atlascmk.cli;

import io.atlascmk.cli.sandbox.SandboxCommand;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The operator's command line: {@code rotator sandbox|bench|run|start|status|evidence|unlock|claim-keys|reindex|projects|discover|atlas-setup}. */
@Command(name = "rotator", mixinStandardHelpOptions = true, version = "atlas-cmk-rotator 0.1.0",
        description = "Rotates the AWS KMS key that encrypts a MongoDB Atlas project at rest.",
        subcommands = {SandboxCommand.class, io.atlascmk.cli.bench.BenchCommand.class, RunCommand.class, StartCommand.class, StatusCommand.class, EvidenceCommand.class, UnlockCommand.class,
                ClaimKeysCommand.class, ReindexCommand.class, ProjectsCommand.class, DiscoverCommand.class, AtlasSetupCommand.class})
public final class RotatorCli implements Runnable {

    /** The slf4j-simple property that sets the level of every logger without one of its own. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String VERBOSE = "--verbose";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = VERBOSE, scope = ScopeType.INHERIT,
            description = "Show the functions' INFO logs (default: warnings and errors only) and the stack trace of an error.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Before anything creates a logger: slf4j-simple reads its configuration once, at the first one.
        String level = defaultLogLevel(List.of(args), System.getProperty(LOG_LEVEL_PROPERTY));
        if (level != null) {
            System.setProperty(LOG_LEVEL_PROPERTY, level);
        }
        System.exit(execute(args));
    }

    /**
     * The default log level to set, or null to leave the logging configuration alone: the functions
     * log every step at INFO, which is noise on a terminal, so the command line shows only WARN and
     * above (retries, throttling) unless asked for {@code --verbose} or the level is set already
     * ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=...}).
     */
    static String defaultLogLevel(List<String> args, String alreadySet) {
        if (alreadySet != null) {
            return null;
        }
        for (String arg : args) {
            if ("--".equals(arg)) {
                break;
            }
            if (VERBOSE.equals(arg)) {
                return null;
            }
        }
        return "warn";
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return commandLine(CommandLine.defaultFactory()).execute(args);
    }

    /** The command line with its subcommands built by {@code factory} (tests give them fake AWS clients). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        RotatorCli root = new RotatorCli();
        CommandLine cli = new CommandLine(root, factory);
        cli.setParameterExceptionHandler((e, args) -> {
            // The message and where to find help, rather than the whole usage.
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (root.verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli;
    }
}
