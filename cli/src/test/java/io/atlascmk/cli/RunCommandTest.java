package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rotator run}'s arguments are checked before it builds any AWS client: the clients given
 * here record that they were asked for and refuse, so a run that gets past the checks stops there.
 */
class RunCommandTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:atlas-api-AbCdEf";

    private final List<String> awsAsked = new CopyOnWriteArrayList<>();

    private CliRun run(String... args) {
        RunCommand command = new RunCommand(() -> {
            awsAsked.add("secretsmanager");
            throw new IllegalStateException("test: no AWS here (Secrets Manager asked for)");
        }, region -> {
            awsAsked.add("kms " + region);
            throw new IllegalStateException("test: no AWS here (KMS asked for)");
        });
        return CliRun.of(command, args);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 6, 31, 365})
    void aPendingWindowKmsRefusesIsRefusedBeforeAnyAwsCall(int days) {
        CliRun run = run("run", "--project", PROJECT, "--atlas-secret", SECRET, "--pending-window-days", Integer.toString(days));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--pending-window-days is " + days + ": KMS accepts 7 to 30 days.");
        assertThat(run.out()).isEmpty();
        assertThat(awsAsked).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 30})
    void theBoundsOfThePendingWindowAreAccepted_andTheRunGoesOnToReadTheAtlasSecret(int days) {
        CliRun run = run("run", "--project", PROJECT, "--atlas-secret", SECRET, "--pending-window-days", Integer.toString(days));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: test: no AWS here (Secrets Manager asked for)" + System.lineSeparator());
        assertThat(awsAsked).containsExactly("secretsmanager");
    }

    @Test
    void withoutTheAtlasSecretPicocliAsksForIt() {
        CliRun run = run("run", "--project", PROJECT);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required option: '--atlas-secret=<atlasSecret>'");
        assertThat(awsAsked).isEmpty();
    }

    @Test
    void anEmptyAtlasSecretIsRefused() {
        CliRun run = run("run", "--project", PROJECT, "--atlas-secret", " ");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--atlas-secret is empty: give the name or ARN of the secret with the Atlas credentials.");
        assertThat(awsAsked).isEmpty();
    }

    @Test
    void aProjectIdThatIsNotOneIsRefused() {
        CliRun run = run("run", "--project", "5f1e2d3c4b5a69788796a5b", "--atlas-secret", SECRET);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--project '5f1e2d3c4b5a69788796a5b' is not an Atlas project id (24 lower-case hex characters).");
        assertThat(awsAsked).isEmpty();
    }

    @Test
    void aNegativeCooldownIsRefused() {
        CliRun run = run("run", "--project", PROJECT, "--atlas-secret", SECRET, "--cooldown-days", "-3");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--cooldown-days is -3: give 0 (no cooldown) or more days.");
        assertThat(awsAsked).isEmpty();
    }
}
