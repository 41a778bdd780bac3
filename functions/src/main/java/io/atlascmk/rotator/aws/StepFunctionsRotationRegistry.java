package io.atlascmk.rotator.aws;

import io.atlascmk.rotator.rotation.RotationRegistry;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@link RotationRegistry} over AWS Step Functions: a rotation id is the execution name, so the
 * execution ARN is the state machine's ARN with {@code stateMachine} turned into {@code execution}
 * and the name appended; {@code DescribeExecution} says whether it runs.
 *
 * <p>Running means {@code RUNNING} or {@code PENDING_REDRIVE} (a redrive is about to resume it). An
 * execution that does not exist in this state machine (started by another deployment, or by the
 * local runner) is not running here. Other errors (throttling after the SDK's retries, access
 * denied) propagate: the lock question is never answered by a guess.
 *
 * <p>The function's role needs {@code states:DescribeExecution} on
 * {@code arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE_NAME:*}.
 */
public final class StepFunctionsRotationRegistry implements RotationRegistry {

    /** The environment variable naming the rotation state machine's ARN. */
    public static final String ENV_STATE_MACHINE_ARN = "ROTATOR_STATE_MACHINE_ARN";

    private static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("(arn:aws[a-zA-Z-]*:states:[a-z0-9-]+:\\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})");

    private final SfnClient sfn;
    private final String executionArnPrefix;

    public StepFunctionsRotationRegistry(SfnClient sfn, String stateMachineArn) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        Matcher m = stateMachineArn == null ? null : STATE_MACHINE_ARN.matcher(stateMachineArn.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(ENV_STATE_MACHINE_ARN + " must be the rotation state machine's ARN"
                    + " (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME); got "
                    + (stateMachineArn == null ? "nothing" : "'" + stateMachineArn + "'") + ".");
        }
        this.executionArnPrefix = m.group(1) + ":execution:" + m.group(2) + ":";
    }

    /**
     * The registry a Lambda handler builds once: the state machine from
     * {@value #ENV_STATE_MACHINE_ARN}, a Step Functions client in the function's region on the
     * shared HTTP client ({@link AwsClients#sfn()}).
     */
    public static StepFunctionsRotationRegistry fromEnvironment() {
        String arn = System.getenv(ENV_STATE_MACHINE_ARN);
        if (arn == null || arn.isBlank()) {
            throw new IllegalStateException(ENV_STATE_MACHINE_ARN + " is not set: Preflight needs the rotation state"
                    + " machine's ARN to tell whether the rotation holding a project's lock still runs.");
        }
        return new StepFunctionsRotationRegistry(AwsClients.sfn(), arn);
    }

    /** The execution ARN of a rotation. */
    public String executionArn(String rotationId) {
        return executionArnPrefix + rotationId;
    }

    @Override
    public boolean isRunning(String rotationId) {
        try {
            ExecutionStatus status = sfn.describeExecution(b -> b.executionArn(executionArn(rotationId))).status();
            return status == ExecutionStatus.RUNNING || status == ExecutionStatus.PENDING_REDRIVE;
        } catch (ExecutionDoesNotExistException notHere) {
            return false;
        }
    }
}
