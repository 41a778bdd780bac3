package io.atlascmk.infra;

import io.atlascmk.infra.config.ProjectConfig;
import io.atlascmk.infra.config.RotatorConfig;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.TimeWindow;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.amazon.awscdk.services.scheduler.targets.StepFunctionsStartExecution;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * EventBridge Scheduler schedules, two per configured project, both in the project's time zone: the rotation
 * on the project's schedule, and the daily sweep that completes deferred deletions. With a fleet run
 * ({@link FleetWorkflow}) only a project with a {@code cron(...)} schedule keeps its rotation schedule: the fleet
 * rotates the {@code rate(...)} ones and sweeps them all. Both start the state
 * machine through one role that may only start executions of this state machine (and drop a failed start in
 * the dead-letter queue), with a flexible window, retries and the dead-letter queue.
 */
public final class RotationSchedules extends Construct {

    public static final Duration FLEXIBLE_WINDOW = Duration.minutes(15);
    public static final int RETRY_ATTEMPTS = 3;
    public static final Duration MAX_EVENT_AGE = Duration.hours(2);

    /** What the schedules are built from. */
    public record Props(RotatorConfig config, IStateMachine stateMachine, IQueue deadLetterQueue) {
    }

    private final Role role;

    public RotationSchedules(Construct scope, String id, Props props) {
        super(scope, id);
        role = Role.Builder.create(this, "SchedulerRole")
                .description("Lets EventBridge Scheduler start the Atlas CMK Rotator state machine, nothing else")
                // Only schedules of this account may use the role (confused-deputy guard).
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount()))))
                .build();
        for (ProjectConfig project : props.config().projects()) {
            TimeZone zone = TimeZone.of(project.effectiveTimeZone());
            boolean fleetRotates = props.config().runsFleet() && project.schedule().startsWith("rate(");
            if (fleetRotates) {
                continue; // the daily fleet run rotates it when its rate says so, and sweeps it
            }
            Schedule.Builder.create(this, "Rotate-" + project.projectId())
                    .description("Rotate the KMS key of Atlas project " + project.projectId())
                    .schedule(ScheduleExpression.expression(project.schedule(), zone))
                    .timeWindow(TimeWindow.flexible(FLEXIBLE_WINDOW))
                    .target(target(props, ScheduleTargetInput.fromObject(ExecutionInputs.scheduledRotation(project))))
                    .build();
            if (props.config().runsFleet()) {
                continue; // the fleet run sweeps every project with retired keys
            }
            Schedule.Builder.create(this, "Sweep-" + project.projectId())
                    .description("Daily audit of retired KMS keys of Atlas project " + project.projectId())
                    .schedule(ScheduleExpression.expression(props.config().effectiveSweepSchedule(), zone))
                    .timeWindow(TimeWindow.flexible(FLEXIBLE_WINDOW))
                    .target(target(props, ScheduleTargetInput.fromObject(ExecutionInputs.sweep(project))))
                    .build();
        }
    }

    private StepFunctionsStartExecution target(Props props, ScheduleTargetInput input) {
        return new StepFunctionsStartExecution(props.stateMachine(), ScheduleTargetBaseProps.builder()
                .role(role)
                .input(input)
                .retryAttempts(RETRY_ATTEMPTS)
                .maxEventAge(MAX_EVENT_AGE)
                .deadLetterQueue(props.deadLetterQueue())
                .build());
    }

    public Role role() {
        return role;
    }
}
