package io.atlascmk.infra;

import io.atlascmk.infra.config.WorkflowDefaults;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The rotation workflow: a STANDARD state machine from {@code statemachine/rotation.asl.json}, every
 * {@code ${Name}} in it filled through DefinitionSubstitutions (the steps' {@code live} alias ARNs, the bus,
 * the workflow numbers). It logs errors only and without execution data, so no input, output or secret
 * ever lands in its log group. Its name is fixed ({@link WorkflowName}) so Preflight can be given its ARN.
 */
public final class RotationWorkflow extends Construct {

    /** What the workflow is built from. */
    public record Props(Path definitionFile, WorkflowName name, RotatorFunctions functions, IEventBus bus,
                        WorkflowDefaults workflow) {
    }

    private final StateMachine stateMachine;

    public RotationWorkflow(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup logGroup = LogGroup.Builder.create(this, "ExecutionLogs")
                .retention(RetentionDays.THREE_MONTHS)
                .build();
        WorkflowDefaults w = props.workflow();
        long timeoutSeconds = timeoutSeconds(w);
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(props.name().name())
                .stateMachineType(StateMachineType.STANDARD)
                .comment("Atlas CMK Rotator: rotates the AWS KMS key of a MongoDB Atlas project")
                .definitionBody(DefinitionBody.fromFile(props.definitionFile().toString()))
                .definitionSubstitutions(substitutions(props.functions(), props.bus(), w))
                .timeout(Duration.seconds(timeoutSeconds))
                .logs(LogOptions.builder()
                        .destination(logGroup)
                        .level(LogLevel.ERROR)
                        .includeExecutionData(false)
                        .build())
                .build();
        for (RotatorStep step : RotatorStep.values()) {
            props.functions().stepAlias(step).grantInvoke(stateMachine);
        }
        props.bus().grantPutEventsTo(stateMachine);
    }

    /**
     * The state machine's timeout: twice the longest a run may wait for Atlas after the switch (at
     * least two days). An execution input may raise the deadline and the settle time up to their caps
     * ({@link WorkflowDefaults#MAX_DEPLOYMENT_DEADLINE_SECONDS}, {@link WorkflowDefaults#MAX_SETTLE_SECONDS}),
     * whatever the deployment's defaults, so the caps are counted, plus the longest wait between two
     * checks and the longest retry delay. A run that outlives it is stuck, and the ExecutionsTimedOut
     * alarm says so; its pending key is then resumed or abandoned by the next run.
     */
    static long timeoutSeconds(WorkflowDefaults workflow) {
        WorkflowDefaults w = workflow.effective();
        long longestWait = (long) WorkflowDefaults.MAX_DEPLOYMENT_DEADLINE_SECONDS + WorkflowDefaults.MAX_SETTLE_SECONDS
                + w.maxWaitSeconds() + w.retryMaxDelaySeconds();
        return Math.max(Duration.days(2).toSeconds().longValue(), 2L * longestWait);
    }

    /** Every placeholder of the definition, numbers as plain digits (they stand unquoted in the file). */
    static Map<String, String> substitutions(RotatorFunctions functions, IEventBus bus, WorkflowDefaults w) {
        Map<String, String> values = new LinkedHashMap<>();
        for (RotatorStep step : RotatorStep.values()) {
            // The alias ARN, so the state machine calls the published (SnapStart) version.
            values.put(step.substitutionName(), functions.stepAlias(step).getFunctionArn());
        }
        values.put("EventBusName", bus.getEventBusName());
        values.put("CooldownDays", Integer.toString(w.cooldownDays()));
        values.put("PendingWindowDays", Integer.toString(w.pendingWindowDays()));
        values.put("SettleSeconds", Integer.toString(w.settleSeconds()));
        values.put("DeploymentDeadlineSeconds", Integer.toString(w.deploymentDeadlineSeconds()));
        values.put("FirstWaitSeconds", Integer.toString(w.firstWaitSeconds()));
        values.put("MaxWaitSeconds", Integer.toString(w.maxWaitSeconds()));
        values.put("RetryMaxDelaySeconds", Integer.toString(w.retryMaxDelaySeconds()));
        // CDK drops .timeout(...) when the definition comes from a file: the ASL's own top-level
        // TimeoutSeconds carries it, so a run that hangs ends TIMED_OUT (and raises the alarm).
        values.put("ExecutionTimeoutSeconds", Long.toString(timeoutSeconds(w)));
        return values;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }
}
