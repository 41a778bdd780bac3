package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The root command: usage, the global {@code --verbose}, and the log level {@code main} chooses. */
class RotatorCliTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";

    private StepFunctionsFake sfn;

    @BeforeEach
    void startFake() {
        sfn = new StepFunctionsFake();
    }

    @AfterEach
    void stopFake() {
        sfn.close();
    }

    @Test
    void theLogsAreQuietedToWarningsByDefault() {
        assertThat(RotatorCli.defaultLogLevel(List.of(), null)).isEqualTo("warn");
        assertThat(RotatorCli.defaultLogLevel(List.of("status", "--project", PROJECT), null)).isEqualTo("warn");
    }

    @Test
    void verboseAnywhereBeforeTheEndOfOptionsKeepsTheFunctionsInfoLogs() {
        assertThat(RotatorCli.defaultLogLevel(List.of("--verbose", "status", "--project", PROJECT), null)).isNull();
        assertThat(RotatorCli.defaultLogLevel(List.of("start", "--project", PROJECT, "--verbose"), null)).isNull();
        assertThat(RotatorCli.defaultLogLevel(List.of("sandbox", "--", "--verbose"), null)).isEqualTo("warn");
    }

    @Test
    void aLevelTheUserSetIsLeftAlone() {
        assertThat(RotatorCli.defaultLogLevel(List.of("status", "--project", PROJECT), "debug")).isNull();
    }

    @Test
    void withoutACommandItPrintsTheUsage_whichListsVerbose() {
        CliRun run = CliRun.of(List.of());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: rotator [-hV] [--verbose] [COMMAND]")
                .contains("sandbox", "run", "start", "status");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aUsageErrorIsItsMessageAndWhereToFindHelp_notTheWholeUsage() {
        CliRun missing = start("start", "--state-machine-arn", "arn:aws:states:us-east-1:111122223333:stateMachine:x");
        CliRun misspelt = start("start", "--project", PROJECT, "--folow");

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().lines().toList()).containsExactly("Missing required option: '--project=<projectId>'",
                "Try 'rotator start --help' for more information.");
        assertThat(misspelt.exitCode()).isEqualTo(2);
        assertThat(misspelt.err()).startsWith("Unknown option: '--folow'").contains("--follow")
                .endsWith("Try 'rotator start --help' for more information." + System.lineSeparator());
        assertThat(sfn.calls()).isEmpty();
    }

    @Test
    void anErrorIsOneLine_andVerboseAddsItsStackTrace_givenBeforeOrAfterTheCommand() {
        String unknown = "arn:aws:states:us-east-1:111122223333:stateMachine:not-deployed";

        CliRun quiet = start("start", "--project", PROJECT, "--state-machine-arn", unknown);
        CliRun verboseFirst = start("--verbose", "start", "--project", PROJECT, "--state-machine-arn", unknown);
        CliRun verboseLast = start("start", "--project", PROJECT, "--state-machine-arn", unknown, "--verbose");

        assertThat(quiet.exitCode()).isEqualTo(1);
        assertThat(quiet.err().lines().toList()).singleElement().asString()
                .startsWith("error: State Machine Does Not Exist: '" + unknown + "'");
        for (CliRun verbose : List.of(verboseFirst, verboseLast)) {
            assertThat(verbose.exitCode()).as(verbose.toString()).isEqualTo(1);
            assertThat(verbose.err()).contains("software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException")
                    .contains("\tat io.atlascmk.cli.StartCommand.call(")
                    .contains("error: State Machine Does Not Exist: '" + unknown + "'");
        }
    }

    private CliRun start(String... args) {
        return CliRun.of(new StartCommand(sfn::newClient, Map.<String, String>of()::get, d -> { }), args);
    }
}
