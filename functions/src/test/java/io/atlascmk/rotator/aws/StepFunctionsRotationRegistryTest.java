package io.atlascmk.rotator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;

class StepFunctionsRotationRegistryTest {

    static final String STATE_MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:AtlasCmkRotator";

    /** Answers DescribeExecution from a map of execution ARN to status; unknown ARNs do not exist. */
    static class FakeSfn implements SfnClient {
        final Map<String, ExecutionStatus> executions;
        final List<String> asked = new ArrayList<>();

        FakeSfn(Map<String, ExecutionStatus> executions) {
            this.executions = executions;
        }

        @Override
        public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
            asked.add(request.executionArn());
            ExecutionStatus status = executions.get(request.executionArn());
            if (status == null) {
                throw ExecutionDoesNotExistException.builder().message("Execution Does Not Exist").build();
            }
            return DescribeExecutionResponse.builder().executionArn(request.executionArn()).status(status).build();
        }

        @Override
        public String serviceName() {
            return "states";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void buildsTheExecutionArnFromTheStateMachineArnAndTheRotationId() {
        StepFunctionsRotationRegistry registry = new StepFunctionsRotationRegistry(new FakeSfn(Map.of()), STATE_MACHINE);

        assertThat(registry.executionArn("manual-2026-11-30T10-00-00Z"))
                .isEqualTo("arn:aws:states:eu-west-1:111122223333:execution:AtlasCmkRotator:manual-2026-11-30T10-00-00Z");
    }

    @Test
    void runningAndPendingRedriveAreRunning_everyEndedStatusIsNot() {
        String prefix = "arn:aws:states:eu-west-1:111122223333:execution:AtlasCmkRotator:";
        FakeSfn sfn = new FakeSfn(Map.of(
                prefix + "a", ExecutionStatus.RUNNING,
                prefix + "b", ExecutionStatus.PENDING_REDRIVE,
                prefix + "c", ExecutionStatus.SUCCEEDED,
                prefix + "d", ExecutionStatus.FAILED,
                prefix + "e", ExecutionStatus.TIMED_OUT,
                prefix + "f", ExecutionStatus.ABORTED));
        StepFunctionsRotationRegistry registry = new StepFunctionsRotationRegistry(sfn, STATE_MACHINE);

        assertThat(registry.isRunning("a")).isTrue();
        assertThat(registry.isRunning("b")).isTrue();
        assertThat(registry.isRunning("c")).isFalse();
        assertThat(registry.isRunning("d")).isFalse();
        assertThat(registry.isRunning("e")).isFalse();
        assertThat(registry.isRunning("f")).isFalse();
        assertThat(registry.isRunning("never-started")).as("no such execution in this state machine").isFalse();
        assertThat(sfn.asked).hasSize(7);
    }

    @Test
    void otherErrorsPropagate_theLockIsNeverGuessed() {
        SfnClient denied = new FakeSfn(Map.of()) {
            @Override
            public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
                throw SfnException.builder().message("AccessDenied").statusCode(400).build();
            }
        };
        StepFunctionsRotationRegistry registry = new StepFunctionsRotationRegistry(denied, STATE_MACHINE);

        assertThatThrownBy(() -> registry.isRunning("x")).isInstanceOf(SfnException.class);
    }

    @Test
    void refusesSomethingThatIsNotAStateMachineArn() {
        assertThatThrownBy(() -> new StepFunctionsRotationRegistry(new FakeSfn(Map.of()),
                "arn:aws:states:eu-west-1:111122223333:execution:AtlasCmkRotator:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(StepFunctionsRotationRegistry.ENV_STATE_MACHINE_ARN);
        assertThatThrownBy(() -> new StepFunctionsRotationRegistry(new FakeSfn(Map.of()), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
