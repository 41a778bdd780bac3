package io.atlascmk.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.infra.config.RotatorConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.TimeWindow;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.amazon.awscdk.services.scheduler.targets.StepFunctionsStartExecution;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.TimeZone;
import software.constructs.Construct;

/**
 * The fleet run (when the configuration has {@code "fleet"}): the state machine of {@code statemachine/fleet.asl.json}
 * and one EventBridge Scheduler schedule a day ({@code sweepSchedule}, UTC) that starts it with the configured
 * {@code maxConcurrency}. Its role may invoke the plan function, start and follow executions of the rotation state
 * machine only (the {@code .sync} integration's managed rule included), and put its own events on the bus.
 */
public final class FleetWorkflow extends Construct {

    /** The source of the fleet's events on the rotator's bus. */
    public static final String EVENT_SOURCE = "atlas-cmk-rotator.fleet";

    /** What the fleet is built from. */
    public record Props(Path definitionFile, RotatorConfig config, RotatorFunctions functions, IEventBus bus,
                        IStateMachine rotation, WorkflowName rotationName, IQueue deadLetterQueue, long rotationTimeoutSeconds) {
    }

    private final StateMachine stateMachine;

    public FleetWorkflow(Construct scope, String id, Props props) {
        super(scope, id);
        Stack stack = Stack.of(this);
        LogGroup logGroup = LogGroup.Builder.create(this, "ExecutionLogs").retention(RetentionDays.THREE_MONTHS).build();
        Map<String, String> substitutions = new LinkedHashMap<>();
        substitutions.put("FleetPlanFunctionArn", props.functions().fleetPlanAlias().getFunctionArn());
        substitutions.put("RotationStateMachineArn", props.rotationName().stateMachineArn());
        substitutions.put("EventBusName", props.bus().getEventBusName());
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(props.rotationName().name().replaceFirst("-rotation$", "") + "-fleet")
                .stateMachineType(StateMachineType.STANDARD)
                .comment("Atlas CMK Rotator: the daily fleet run (every due project's rotation or sweep)")
                .definitionBody(DefinitionBody.fromString(definition(props.definitionFile(), props.rotationTimeoutSeconds())))
                .definitionSubstitutions(substitutions)
                .logs(LogOptions.builder().destination(logGroup).level(LogLevel.ERROR).includeExecutionData(false).build())
                .build();
        props.functions().fleetPlanAlias().grantInvoke(stateMachine);
        String partition = stack.getPartition();
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("StartOnlyTheRotationStateMachine")
                .actions(List.of("states:StartExecution"))
                .resources(List.of(props.rotationName().stateMachineArn()))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("FollowAndStopOnlyRotationExecutions")
                .actions(List.of("states:DescribeExecution", "states:StopExecution"))
                .resources(List.of(props.rotationName().executionArns()))
                .build());
        // The .sync integration learns of a child's end through a rule Step Functions manages in the account.
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("StepFunctionsManagedRuleForSyncExecutions")
                .actions(List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"))
                .resources(List.of("arn:" + partition + ":events:" + stack.getRegion() + ":" + stack.getAccount()
                        + ":rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("PutFleetEventsOnTheRotatorBusOnly")
                .actions(List.of("events:PutEvents"))
                .resources(List.of(props.bus().getEventBusArn()))
                .conditions(Map.of("StringEquals", Map.of("events:source", EVENT_SOURCE)))
                .build());

        NagAcknowledgments.fleet(this, props.rotationName().name());

        Role role = Role.Builder.create(this, "SchedulerRole")
                .description("Lets EventBridge Scheduler start the Atlas CMK Rotator fleet run, nothing else")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()))))
                .build();
        Schedule.Builder.create(this, "Daily")
                .description("The daily fleet run: every registered project that is due is rotated or swept")
                .schedule(ScheduleExpression.expression(props.config().effectiveSweepSchedule(), TimeZone.ETC_UTC))
                .timeWindow(TimeWindow.flexible(RotationSchedules.FLEXIBLE_WINDOW))
                .target(new StepFunctionsStartExecution(stateMachine, ScheduleTargetBaseProps.builder()
                        .role(role)
                        .input(ScheduleTargetInput.fromObject(Map.of("maxConcurrency",
                                props.config().fleet().effectiveMaxConcurrency())))
                        .retryAttempts(RotationSchedules.RETRY_ATTEMPTS)
                        .maxEventAge(RotationSchedules.MAX_EVENT_AGE)
                        .deadLetterQueue(props.deadLetterQueue())
                        .build()))
                .build();
    }

    /** The fleet definition, with a timeout that outlasts its children's (one wave of rotations, and a day more). */
    static String definition(Path file, long rotationTimeoutSeconds) {
        ObjectNode asl;
        try {
            asl = (ObjectNode) InfraJson.MAPPER.readTree(file.toFile());
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("The fleet definition " + file + " is not a JSON object: " + e.getMessage()
                    + ". Restore statemachine/fleet.asl.json from the repository.", e);
        }
        asl.put("TimeoutSeconds", rotationTimeoutSeconds + 86_400);
        try {
            return InfraJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(asl);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the fleet definition", e);
        }
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }
}
