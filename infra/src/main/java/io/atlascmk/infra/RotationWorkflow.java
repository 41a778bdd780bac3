package io.atlascmk.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.infra.config.WorkflowDefaults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.dynamodb.ITable;
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
 * The rotation workflow: a STANDARD state machine from {@code statemachine/rotation.asl.json}. The file is
 * plain JSON; the stack fills it in two ways (as {@code statemachine/definition.mjs} does for local runs):
 * every {@code ${Name}} placeholder, always inside a JSON string, through DefinitionSubstitutions (the
 * steps' {@code live} alias ARNs, the bus, and the numbers a state passes on, which the ASL reads with
 * {@code States.StringToJson}); and the two numbers ASL does not let a string carry, set on the parsed
 * definition ({@link #definition}): the execution's {@code TimeoutSeconds} and every retrier's
 * {@code MaxDelaySeconds}. It logs errors only and without execution data, so no input, output or secret
 * ever lands in its log group. Its name is fixed ({@link WorkflowName}) so Preflight can be given its ARN.
 */
public final class RotationWorkflow extends Construct {

    /** What the workflow is built from. */
    public record Props(Path definitionFile, WorkflowName name, RotatorFunctions functions, IEventBus bus,
                        WorkflowDefaults workflow, ITable lockTable) {
    }


    private final StateMachine stateMachine;

    public RotationWorkflow(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup logGroup = LogGroup.Builder.create(this, "ExecutionLogs")
                .retention(RetentionDays.THREE_MONTHS)
                .build();
        WorkflowDefaults w = props.workflow();
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(props.name().name())
                .stateMachineType(StateMachineType.STANDARD)
                .comment("Atlas CMK Rotator: rotates the AWS KMS key of a MongoDB Atlas project")
                .definitionBody(DefinitionBody.fromString(definition(props.definitionFile(), w)))
                .definitionSubstitutions(substitutions(props.functions(), props.bus(), props.lockTable(), w))
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
        // ReleaseLock: a conditional UpdateItem on the project's item, nothing else.
        stateMachine.addToRolePolicy(RotatorFunctions.updateLocksAndKeyIndexOnly(props.lockTable()));
    }

    /**
     * The state machine's timeout: twice the longest a run may wait for Atlas after the switch (at
     * least two days). An execution input may raise the deadline and the settle time up to their caps
     * ({@link WorkflowDefaults#MAX_DEPLOYMENT_DEADLINE_SECONDS}, {@link WorkflowDefaults#MAX_SETTLE_SECONDS}),
     * whatever the deployment's defaults, so the caps are counted, plus the longest wait between two
     * checks and the longest retry delay. A run that outlives it is stuck, and the RotationExecutionFailed
     * alarm says so; its pending key is then resumed or abandoned by the next run.
     */
    static long timeoutSeconds(WorkflowDefaults workflow) {
        WorkflowDefaults w = workflow.effective();
        long longestWait = (long) WorkflowDefaults.MAX_DEPLOYMENT_DEADLINE_SECONDS + WorkflowDefaults.MAX_SETTLE_SECONDS
                + w.maxWaitSeconds() + w.retryMaxDelaySeconds();
        return Math.max(Duration.days(2).toSeconds().longValue(), 2L * longestWait);
    }

    /**
     * The ASL file with its settings applied: the top-level {@code TimeoutSeconds} (CDK drops
     * {@code .timeout(...)} for a definition it is given, so the ASL carries it: a run that hangs ends
     * TIMED_OUT and raises the alarm) and every retrier's {@code MaxDelaySeconds}.
     */
    static String definition(Path file, WorkflowDefaults w) {
        ObjectNode asl;
        try {
            asl = (ObjectNode) InfraJson.MAPPER.readTree(file.toFile());
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("The workflow definition " + file + " is not a JSON object: "
                    + e.getMessage() + ". Restore statemachine/rotation.asl.json from the repository.", e);
        }
        asl.put("TimeoutSeconds", timeoutSeconds(w));
        int maxDelay = w.effective().retryMaxDelaySeconds();
        for (JsonNode retrier : asl.findValues("Retry")) {
            retrier.forEach(r -> ((ObjectNode) r).put("MaxDelaySeconds", maxDelay));
        }
        try {
            return InfraJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(asl);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the workflow definition", e);
        }
    }

    /** Every placeholder of the definition: names and ARNs, and numbers as plain digits (read with States.StringToJson). */
    static Map<String, String> substitutions(RotatorFunctions functions, IEventBus bus, ITable lockTable, WorkflowDefaults w) {
        Map<String, String> values = new LinkedHashMap<>();
        for (RotatorStep step : RotatorStep.values()) {
            // The alias ARN, so the state machine calls the published (SnapStart) version.
            values.put(step.substitutionName(), functions.stepAlias(step).getFunctionArn());
        }
        values.put("EventBusName", bus.getEventBusName());
        values.put("LockTableName", lockTable.getTableName());
        values.put("CooldownDays", Integer.toString(w.cooldownDays()));
        values.put("PendingWindowDays", Integer.toString(w.pendingWindowDays()));
        values.put("SettleSeconds", Integer.toString(w.settleSeconds()));
        values.put("DeploymentDeadlineSeconds", Integer.toString(w.deploymentDeadlineSeconds()));
        values.put("FirstWaitSeconds", Integer.toString(w.firstWaitSeconds()));
        values.put("MaxWaitSeconds", Integer.toString(w.maxWaitSeconds()));
        return values;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }
}
