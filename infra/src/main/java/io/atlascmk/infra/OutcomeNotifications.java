package io.atlascmk.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.events.targets.SnsTopicProps;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * Where outcomes go: every event the workflow publishes (source {@value #WORKFLOW_SOURCE}: succeeded, failed,
 * rolled back, planned, skipped, audited) is forwarded to an SNS topic with the configured e-mail
 * subscription, and alarms on failed, timed-out or aborted executions (of the rotation and, with a fleet,
 * the fleet state machine) and on any message in the dead-letter queue notify the same topic.
 */
public final class OutcomeNotifications extends Construct {

    /** The alarms' names, after the stack's name and a dash; each has its README runbook entry under that name. */
    public static final String ROTATION_EXECUTION_FAILED = "RotationExecutionFailed";
    public static final String DEAD_LETTER_QUEUE = "DeadLetterQueue";

    public static final String WORKFLOW_SOURCE = "atlas-cmk-rotator";
    /** The tripwire's Rescue function ({@code Key Deletion Cancelled}: urgent). */
    public static final String TRIPWIRE_SOURCE = "atlas-cmk-rotator.tripwire";
    private static final Duration PERIOD = Duration.minutes(5);

    /** What the notifications are built from. */
    public record Props(String notificationEmail, IEventBus bus, IStateMachine stateMachine,
                        IStateMachine fleetStateMachine, IQueue deadLetterQueue) {
        /** {@code fleetStateMachine} is null for a stack without a fleet run. */
        public Props {
            java.util.Objects.requireNonNull(stateMachine, "stateMachine");
        }
    }

    private final Topic topic;
    private final List<IAlarm> alarms = new java.util.ArrayList<>();

    public OutcomeNotifications(Construct scope, String id, Props props) {
        super(scope, id);
        topic = Topic.Builder.create(this, "Topic")
                .displayName("Atlas CMK Rotator")
                .enforceSsl(true)
                .build();
        topic.addSubscription(new EmailSubscription(props.notificationEmail()));

        Rule outcomes = Rule.Builder.create(this, "OutcomeRule")
                .description("Every rotation outcome the workflow publishes, and every tripwire rescue, to the notification topic")
                .eventBus(props.bus())
                .eventPattern(EventPattern.builder().source(List.of(WORKFLOW_SOURCE, TRIPWIRE_SOURCE)).build())
                .build();
        outcomes.addTarget(new SnsTopic(topic, SnsTopicProps.builder()
                .deadLetterQueue(props.deadLetterQueue())
                .retryAttempts(RotationSchedules.RETRY_ATTEMPTS)
                .build()));

        MetricOptions sum = MetricOptions.builder().period(PERIOD).statistic("Sum").build();
        alarm("RotationExecutionFailedAlarm", ROTATION_EXECUTION_FAILED, "An execution of the rotation"
                + (props.fleetStateMachine() == null ? "" : " or fleet") + " state machine failed, timed out or was"
                + " aborted; a timeout or an abort publishes no Rotation Failed event, so this alarm is the only word"
                + " of it. README: Runbook, RotationExecutionFailed.", executionsEndedBadly(props, sum), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
        alarm("DeadLetterQueueAlarm", DEAD_LETTER_QUEUE, "A schedule, the alert rule, the outcome rule, the tripwire or"
                + " the Record rule could not deliver: the dead-letter queue has messages. README: Runbook, DeadLetterQueue.", props.deadLetterQueue().metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().period(PERIOD).statistic("Maximum").build()), 0,
                ComparisonOperator.GREATER_THAN_THRESHOLD);
    }

    /** Failed + timed out + aborted executions of the rotation (and fleet) state machine, each missing point 0. */
    private static IMetric executionsEndedBadly(Props props, MetricOptions sum) {
        Map<String, IMetric> metrics = new java.util.LinkedHashMap<>();
        putEndings(metrics, "rotation", props.stateMachine(), sum);
        if (props.fleetStateMachine() != null) {
            putEndings(metrics, "fleet", props.fleetStateMachine(), sum);
        }
        String filled = metrics.keySet().stream().map(k -> "FILL(" + k + ", 0)")
                .collect(java.util.stream.Collectors.joining(", "));
        return MathExpression.Builder.create()
                .expression("SUM([" + filled + "])")
                .usingMetrics(metrics)
                .label("Executions failed, timed out or aborted")
                .period(PERIOD)
                .build();
    }

    private static void putEndings(Map<String, IMetric> metrics, String prefix, IStateMachine machine,
            MetricOptions sum) {
        metrics.put(prefix + "Failed", machine.metricFailed(sum));
        metrics.put(prefix + "TimedOut", machine.metricTimedOut(sum));
        metrics.put(prefix + "Aborted", machine.metricAborted(sum));
    }

    private void alarm(String id, String name, String description, IMetric metric, int threshold,
            ComparisonOperator operator) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(Stack.of(this).getStackName() + "-" + name)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(operator)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    /** The alarms on executions and on the dead-letter queue (the dashboard shows their state). */
    public List<IAlarm> alarms() {
        return List.copyOf(alarms);
    }

    public Topic topic() {
        return topic;
    }
}
