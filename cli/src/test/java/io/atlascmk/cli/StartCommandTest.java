package io.atlascmk.cli;

import static io.atlascmk.cli.StepFunctionsFake.executionFailed;
import static io.atlascmk.cli.StepFunctionsFake.lambdaFunctionFailed;
import static io.atlascmk.cli.StepFunctionsFake.stateEntered;
import static io.atlascmk.cli.StepFunctionsFake.stateExited;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.StepFunctionsFake.Call;
import io.atlascmk.cli.StepFunctionsFake.Stage;
import io.atlascmk.rotator.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code rotator start} against a loopback Step Functions, through the real SDK client. */
class StartCommandTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";

    private StepFunctionsFake sfn;
    private String machine;
    private final AtomicInteger clientsBuilt = new AtomicInteger();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private Map<String, String> environment = Map.of();

    @BeforeEach
    void startFake() {
        sfn = new StepFunctionsFake();
        machine = sfn.stateMachine("atlas-cmk-rotator");
    }

    @AfterEach
    void stopFake() {
        sfn.close();
    }

    private CliRun start(String... args) {
        StartCommand command = new StartCommand(() -> {
            clientsBuilt.incrementAndGet();
            return sfn.newClient();
        }, environment::get, pauses::add);
        return CliRun.of(command, args);
    }

    private JsonNode startedInput() throws Exception {
        List<Call> started = sfn.calls("StartExecution");
        assertThat(started).hasSize(1);
        return Json.MAPPER.readTree(started.get(0).body().path("input").asText());
    }

    @Test
    void startsAManualRotation_withOnlyProjectAndTriggerAsInput_andANameStepFunctionsAccepts() throws Exception {
        CliRun run = start("start", "--project", PROJECT, "--state-machine-arn", machine);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Call call = sfn.calls().get(0);
        assertThat(sfn.calls()).hasSize(1);
        assertThat(call.operation()).isEqualTo("StartExecution");
        assertThat(call.contentType()).startsWith("application/x-amz-json-1.0");
        assertThat(call.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTESTFAKE/");
        assertThat(call.body().path("stateMachineArn").asText()).isEqualTo(machine);
        assertThat(startedInput()).isEqualTo(Json.MAPPER.createObjectNode().put("projectId", PROJECT).put("trigger", "manual"));
        String name = call.body().path("name").asText();
        assertThat(name).matches("manual-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}(-\\d+)?Z").hasSizeLessThanOrEqualTo(80);
        assertThat(run.outLines()).containsExactly(
                "Started arn:aws:states:us-east-1:111122223333:execution:atlas-cmk-rotator:" + name);
    }

    @Test
    void dryRunAndForceAreSentOnlyWhenAskedFor_andADryRunIsNamedAsOne() throws Exception {
        CliRun run = start("start", "--project", PROJECT, "--state-machine-arn", machine, "--dry-run", "--force");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(startedInput()).isEqualTo(Json.MAPPER.createObjectNode().put("projectId", PROJECT).put("trigger", "manual")
                .put("dryRun", true).put("force", true));
        assertThat(sfn.calls("StartExecution").get(0).body().path("name").asText()).startsWith("manual-dry-run-");
    }

    @Test
    void forceAloneIsNotADryRun() throws Exception {
        CliRun run = start("start", "--project", PROJECT, "--state-machine-arn", machine, "--force");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(startedInput()).isEqualTo(Json.MAPPER.createObjectNode().put("projectId", PROJECT).put("trigger", "manual")
                .put("force", true));
        assertThat(sfn.calls("StartExecution").get(0).body().path("name").asText()).doesNotContain("dry-run");
    }

    @Test
    void theStateMachineComesFromTheEnvironmentWhenNotGiven() {
        environment = Map.of(StartCommand.STATE_MACHINE_ENV, machine);

        CliRun run = start("start", "--project", PROJECT);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(sfn.calls("StartExecution")).singleElement()
                .satisfies(c -> assertThat(c.body().path("stateMachineArn").asText()).isEqualTo(machine));
    }

    @Test
    void followPrintsEachStepOnce_acrossPagesAndPolls_thenTheOutput_andExitsZeroWhenItSucceeded() {
        sfn.historyPageSize(2);
        sfn.nextExecutionPlays(
                Stage.running(stateEntered("TaskStateEntered", "Preflight"), event("LambdaFunctionScheduled"),
                        event("LambdaFunctionSucceeded"), stateExited("TaskStateExited", "Preflight"),
                        stateEntered("WaitStateEntered", "WaitForDeployment")),
                Stage.succeeded("{\"outcome\":\"rotated\",\"newKeyId\":\"k-2\"}",
                        stateExited("WaitStateExited", "WaitForDeployment"), stateEntered("TaskStateEntered", "Finalize"),
                        stateExited("TaskStateExited", "Finalize"), event("ExecutionSucceeded")));

        CliRun run = start("start", "--project", PROJECT, "--state-machine-arn", machine, "--follow", "--poll-seconds", "7");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines().subList(1, run.outLines().size())).containsExactly(
                "  >   Preflight",
                "  ok  Preflight",
                "  >   WaitForDeployment",
                "  ... waited: WaitForDeployment",
                "  >   Finalize",
                "  ok  Finalize",
                "  execution succeeded",
                "Execution SUCCEEDED",
                "{",
                "  \"outcome\" : \"rotated\",",
                "  \"newKeyId\" : \"k-2\"",
                "}");
        assertThat(pauses).containsExactly(Duration.ofSeconds(7));
        assertThat(clientsBuilt).hasValue(1);
    }

    @Test
    void followShowsTheFailureAndExitsOneWhenTheExecutionFailed() {
        String error = "io.atlascmk.rotator.rotation.AtlasKeyMismatchException";
        String cause = "Atlas reports key k-1, not the key this rotation switched to";
        sfn.nextExecutionPlays(Stage.failed(error, cause,
                stateEntered("TaskStateEntered", "CheckDeployment"), lambdaFunctionFailed(error, cause),
                executionFailed(error, cause)));

        CliRun run = start("start", "--project", PROJECT, "--state-machine-arn", machine, "--follow");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.outLines().subList(1, run.outLines().size())).containsExactly(
                "  >   CheckDeployment",
                "  !!  " + error + ": " + cause,
                "  execution FAILED: " + error,
                "Execution FAILED",
                error + ": " + cause);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aStateMachineStepFunctionsDoesNotKnowIsReportedAsAnError() {
        String unknown = "arn:aws:states:us-east-1:111122223333:stateMachine:not-deployed";

        CliRun run = start("start", "--project", PROJECT, "--state-machine-arn", unknown);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: State Machine Does Not Exist: '" + unknown + "'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aProjectIdThatIsNotOneIsRefusedBeforeAnyRequest() {
        CliRun run = start("start", "--project", "5F1E2D3C4B5A69788796A5B4", "--state-machine-arn", machine);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--project '5F1E2D3C4B5A69788796A5B4' is not an Atlas project id (24 lower-case hex characters).");
        assertThat(sfn.calls()).isEmpty();
        assertThat(clientsBuilt).hasValue(0);
    }

    @Test
    void withoutAStateMachineItSaysWhereToGiveOne_andSendsNothing() {
        CliRun run = start("start", "--project", PROJECT);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("No state machine: pass --state-machine-arn (the stack output StateMachineArn) or set "
                + "ROTATOR_STATE_MACHINE_ARN.");
        assertThat(sfn.calls()).isEmpty();
        assertThat(clientsBuilt).hasValue(0);
    }

    @Test
    void withoutAProjectPicocliAsksForIt_andNothingIsSent() {
        CliRun run = start("start", "--state-machine-arn", machine);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required option: '--project=<projectId>'");
        assertThat(sfn.calls()).isEmpty();
        assertThat(clientsBuilt).hasValue(0);
    }

    @Test
    void aPollIntervalBelowOneSecondIsRefused() {
        CliRun run = start("start", "--project", PROJECT, "--state-machine-arn", machine, "--follow", "--poll-seconds", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--poll-seconds is 0: poll at most once a second.");
        assertThat(sfn.calls()).isEmpty();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode event(String type) {
        return StepFunctionsFake.event(type);
    }
}
