package io.atlascmk.infra;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;

/**
 * The rotation state machine's fixed physical name, {@code <stackName>-rotation}, and the ARNs built from it
 * with {@link Stack#formatArn}.
 *
 * <p>Why a fixed name: Preflight needs the state machine's ARN in its environment (the lock: it calls
 * {@code states:DescribeExecution} on the execution that holds a project's pending key), while the state
 * machine's definition names Preflight's alias ARN. Referencing the state machine's own ARN token from the
 * function would make that a circular dependency, which CloudFormation refuses. A name known before the state
 * machine exists breaks the cycle. The cost: a change that makes CloudFormation replace the state machine
 * needs a new stack name (or removing and re-adding the stack), since two state machines cannot share a name.
 *
 * @param name            the state machine's name
 * @param stateMachineArn {@code arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME}
 * @param executionArns   {@code arn:PARTITION:states:REGION:ACCOUNT:execution:NAME:*}, every execution of it
 */
public record WorkflowName(String name, String stateMachineArn, String executionArns) {

    public static final String SUFFIX = "-rotation";
    /** Step Functions allows state machine names of 1 to 80 characters. */
    public static final int MAX_LENGTH = 80;

    /**
     * The name and ARNs for the rotator in {@code stack}.
     *
     * @throws IllegalArgumentException when the stack name is too long to leave a valid state machine name
     */
    public static WorkflowName of(Stack stack) {
        String stackName = stack.getStackName();
        String name = stackName + SUFFIX;
        if (!Token.isUnresolved(stackName) && name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The stack name '" + stackName + "' is too long: the rotation state"
                    + " machine is named '<stack name>" + SUFFIX + "', and Step Functions allows at most " + MAX_LENGTH
                    + " characters. Choose a stack name of at most " + (MAX_LENGTH - SUFFIX.length())
                    + " characters (cdk -c stackName=...).");
        }
        String stateMachineArn = stack.formatArn(ArnComponents.builder()
                .service("states")
                .resource("stateMachine")
                .resourceName(name)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        String executionArns = stack.formatArn(ArnComponents.builder()
                .service("states")
                .resource("execution")
                .resourceName(name + ":*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        return new WorkflowName(name, stateMachineArn, executionArns);
    }
}
