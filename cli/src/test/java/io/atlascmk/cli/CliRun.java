package io.atlascmk.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs the command line as {@code rotator ARGS} would, with some subcommands built by the test, and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(List<Object> commands, String... args) {
        CommandLine cli = RotatorCli.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                for (Object command : commands) {
                    if (type.isInstance(command)) {
                        return type.cast(command);
                    }
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    static CliRun of(Object command, String... args) {
        return of(List.of(command), args);
    }

    /** The lines printed on standard output. */
    List<String> outLines() {
        return Arrays.asList(out.split("\\R"));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
