package io.atlascmk.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.SearchExpression;
import software.amazon.awscdk.services.cloudwatch.SingleValueWidget;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The rotator's own metrics (namespace {@value #NAMESPACE}, written by the functions as CloudWatch Embedded Metric
 * Format lines, every one with the dimension {@code Deployment} = the stack's name): five alarms on the aggregate
 * {@code [Deployment]} metrics that notify the outcome topic, and one dashboard of every metric.
 *
 * <p>Alarm actions: every alarm notifies the topic when it goes to ALARM. The two alarms on a state of the fleet (a
 * key older than its schedule, a retired key past its safe-after date) also notify when they return to OK, which
 * says the condition is over (the key rotated, the key was deleted). The three alarms on an event (a failed or
 * rolled-back rotation, a tripwire rescue) do not: they fall back to OK by themselves five minutes later
 * (no data is not breaching), and an OK message then would only repeat the ALARM one. No alarm notifies on
 * INSUFFICIENT_DATA: a new stack has no data yet.
 */
public final class RotatorMonitoring extends Construct {

    public static final String NAMESPACE = "AtlasCmkRotator";
    public static final String DEPLOYMENT_DIMENSION = "Deployment";
    public static final String PROJECT_DIMENSION = "ProjectId";

    public static final String ROTATIONS_STARTED = "RotationsStarted";
    public static final String ROTATIONS_SUCCEEDED = "RotationsSucceeded";
    public static final String ROTATIONS_FAILED = "RotationsFailed";
    public static final String ROTATIONS_ROLLED_BACK = "RotationsRolledBack";
    public static final String KEY_AGE_DAYS = "KeyAgeDays";
    public static final String KEYS_OVERDUE = "KeysOverdue";
    public static final String RETIRED_KEYS_WAITING = "RetiredKeysWaiting";
    public static final String EARLIEST_SAFE_AFTER_DAYS = "EarliestSafeAfterDays";
    public static final String RETIRED_KEYS_PAST_SAFE_AFTER = "RetiredKeysPastSafeAfter";
    public static final String DELETIONS_SCHEDULED = "DeletionsScheduled";
    public static final String DELETIONS_CANCELLED = "DeletionsCancelled";
    public static final String DELETIONS_NOT_CANCELLED = "DeletionsNotCancelled";
    public static final String ATLAS_RETRIES = "AtlasRetries";
    public static final String ATLAS_RATE_LIMITED = "AtlasRateLimited";
    public static final String DEPLOYMENT_WAIT_SECONDS = "DeploymentWaitSeconds";
    /** Every metric of the spec (the functions emit them; the dashboard shows each). */
    public static final List<String> METRICS = List.of(ROTATIONS_STARTED, ROTATIONS_SUCCEEDED, ROTATIONS_FAILED,
            ROTATIONS_ROLLED_BACK, KEY_AGE_DAYS, KEYS_OVERDUE, RETIRED_KEYS_WAITING, EARLIEST_SAFE_AFTER_DAYS,
            RETIRED_KEYS_PAST_SAFE_AFTER, DELETIONS_SCHEDULED, DELETIONS_CANCELLED, DELETIONS_NOT_CANCELLED, ATLAS_RETRIES,
            ATLAS_RATE_LIMITED, DEPLOYMENT_WAIT_SECONDS);

    public static final String KEY_OLDER_THAN_SCHEDULE = "KeyOlderThanSchedule";
    public static final String ROTATION_FAILED = "RotationFailed";
    public static final String ROTATION_ROLLED_BACK = "RotationRolledBack";
    public static final String RETIRED_KEY_PAST_SAFE_AFTER = "RetiredKeyPastSafeAfter";
    public static final String TRIPWIRE_RESCUE = "TripwireRescue";

    private static final Duration EVENT_PERIOD = Duration.minutes(5);
    private static final Duration DAY = Duration.days(1);
    private static final Duration GRAPH_PERIOD = Duration.hours(1);

    /** What the monitoring is built from. */
    public record Props(String deployment, ITopic topic, List<IAlarm> otherAlarms) {
    }

    private final String deployment;
    private final ITopic topic;
    private final Map<String, Alarm> alarms = new LinkedHashMap<>();
    private final Dashboard dashboard;

    public RotatorMonitoring(Construct scope, String id, Props props) {
        super(scope, id);
        this.deployment = props.deployment();
        this.topic = props.topic();

        alarm(KEY_OLDER_THAN_SCHEDULE, "A project's key is older than its schedule's interval (KeysOverdue, from the fleet"
                        + " run's plan). Look at the dashboard's key age per project, then at the project's last executions:"
                        + " a rotation that keeps failing, skipping (cooldown, busy cluster) or not starting. No data means"
                        + " the fleet run stopped reporting (or the stack runs no fleet). README: Runbook, KeyOlderThanSchedule.",
                metric(KEYS_OVERDUE, "Maximum", DAY), 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
                TreatMissingData.MISSING, true);
        alarm(ROTATION_FAILED, "A rotation failed (RotationsFailed). The 'Rotation Failed' notification and the"
                        + " execution's history say where; start the same input again once the cause is fixed (README:"
                        + " Runbook, RotationFailed).",
                metric(ROTATIONS_FAILED, "Sum", EVENT_PERIOD), 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData.NOT_BREACHING, false);
        alarm(ROTATION_ROLLED_BACK, "A rotation was rolled back (RotationsRolledBack): Atlas went back to the previous"
                        + " key and the new key was abandoned. The 'Rotation Rolled Back' notification says why. README: Runbook,"
                        + " RotationRolledBack.",
                metric(ROTATIONS_ROLLED_BACK, "Sum", EVENT_PERIOD), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING, false);
        alarm(RETIRED_KEY_PAST_SAFE_AFTER, "A retired key is past its safe-after date and still not scheduled for"
                        + " deletion (RetiredKeysPastSafeAfter, from the audit). The audit's evidence says what still"
                        + " needs it (a snapshot, a recent use, another project). README: Runbook, RetiredKeyPastSafeAfter.",
                metric(RETIRED_KEYS_PAST_SAFE_AFTER, "Maximum", DAY), 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
                TreatMissingData.NOT_BREACHING, true);
        alarm(TRIPWIRE_RESCUE, "The tripwire acted (DeletionsCancelled + DeletionsNotCancelled): something used a key"
                        + " scheduled for deletion. Urgent when it could not cancel: cancel the deletion by hand (aws kms"
                        + " cancel-key-deletion) before the pending window ends. README: Runbook, TripwireRescue.",
                MathExpression.Builder.create()
                        .expression("SUM([FILL(cancelled, 0), FILL(notCancelled, 0)])")
                        .usingMetrics(Map.of(
                                "cancelled", metric(DELETIONS_CANCELLED, "Sum", EVENT_PERIOD),
                                "notCancelled", metric(DELETIONS_NOT_CANCELLED, "Sum", EVENT_PERIOD)))
                        .period(EVENT_PERIOD)
                        .label("Deletions the tripwire cancelled or could not cancel")
                        .build(),
                1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING, false);

        List<IAlarm> everyAlarm = new ArrayList<>(alarms.values());
        everyAlarm.addAll(props.otherAlarms());
        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(dashboardName(deployment))
                .defaultInterval(Duration.days(14))
                .widgets(rows(everyAlarm))
                .build();
    }

    /** The dashboard's name: the deployment's, so two stacks of one account have one each. */
    public static String dashboardName(String deployment) {
        return deployment + "-atlas-cmk-rotator";
    }

    private List<List<IWidget>> rows(List<IAlarm> everyAlarm) {
        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(
                TextWidget.Builder.create().width(8).height(6).markdown("# Atlas CMK Rotator: " + deployment + "\n"
                        + "Metrics of namespace `" + NAMESPACE + "`, dimension `Deployment` = `" + deployment + "`. "
                        + "Per-project lines come from the `[Deployment, ProjectId]` metrics. Key age and overdue keys"
                        + " come from the fleet run's plan; retired keys and deletions from each audit; rotations from"
                        + " the Record function. What each alarm means: README, *Dashboard and alarms*; what to do: README, *Runbook*.")
                        .build(),
                AlarmStatusWidget.Builder.create().title("Alarms").width(16).height(6).alarms(everyAlarm).build()));
        rows.add(List.of(
                graph("Rotations (all projects)", 12,
                        line(ROTATIONS_STARTED, "Sum", GRAPH_PERIOD),
                        line(ROTATIONS_SUCCEEDED, "Sum", GRAPH_PERIOD),
                        line(ROTATIONS_FAILED, "Sum", GRAPH_PERIOD),
                        line(ROTATIONS_ROLLED_BACK, "Sum", GRAPH_PERIOD)),
                graph("Key age per project (days)", 8,
                        perProject(KEY_AGE_DAYS, "Maximum", DAY)),
                SingleValueWidget.Builder.create().title("Keys overdue").width(4).height(6)
                        .metrics(List.of(line(KEYS_OVERDUE, "Maximum", DAY))).build()));
        rows.add(List.of(
                graph("Retired keys waiting, per project", 8,
                        perProject(RETIRED_KEYS_WAITING, "Maximum", DAY)),
                graph("Earliest safe-after, days from now, per project", 8,
                        perProject(EARLIEST_SAFE_AFTER_DAYS, "Minimum", DAY)),
                graph("Retired keys past safe-after (largest project)", 8,
                        line(RETIRED_KEYS_PAST_SAFE_AFTER, "Maximum", DAY))));
        rows.add(List.of(
                graph("Deletions", 12,
                        line(DELETIONS_SCHEDULED, "Sum", DAY),
                        line(DELETIONS_CANCELLED, "Sum", DAY),
                        line(DELETIONS_NOT_CANCELLED, "Sum", DAY)),
                graph("Atlas retries and rate limiting (429)", 6,
                        line(ATLAS_RETRIES, "Sum", GRAPH_PERIOD),
                        line(ATLAS_RATE_LIMITED, "Sum", GRAPH_PERIOD)),
                graph("Atlas deployment wait (seconds)", 6,
                        line(DEPLOYMENT_WAIT_SECONDS, "Average", DAY),
                        line(DEPLOYMENT_WAIT_SECONDS, "Maximum", DAY))));
        return rows;
    }

    /**
     * A graph of {@code metrics}, each with its own statistic and period (no widget-wide statistic: a line whose
     * statistic is the default Average would take the widget's instead).
     */
    private static GraphWidget graph(String title, int width, IMetric... metrics) {
        return GraphWidget.Builder.create().title(title).width(width).height(6).left(List.of(metrics)).build();
    }

    /** One of this deployment's aggregate metrics ({@code [Deployment]}), as an alarm reads it. */
    Metric metric(String name, String statistic, Duration period) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(DEPLOYMENT_DIMENSION, deployment))
                .statistic(statistic)
                .period(period)
                .build();
    }

    /** As {@link #metric}, with a label for a graph's legend. */
    private Metric line(String name, String statistic, Duration period) {
        return metric(name, statistic, period).with(software.amazon.awscdk.services.cloudwatch.MetricOptions.builder()
                .label(name + " (" + statistic + ")").build());
    }

    /** Every project's line of a per-project metric of this deployment ({@code [Deployment, ProjectId]}). */
    SearchExpression perProject(String name, String statistic, Duration period) {
        return SearchExpression.Builder.create()
                .expression(searchExpression(name, statistic, period, deployment))
                // one line per project, named by its project id
                .label("${PROP('Dim." + PROJECT_DIMENSION + "')}")
                .period(period)
                .build();
    }

    /** The SEARCH of one per-project metric of {@code deployment}, one line per project. */
    static String searchExpression(String name, String statistic, Duration period, String deployment) {
        return "SEARCH('{" + NAMESPACE + "," + DEPLOYMENT_DIMENSION + "," + PROJECT_DIMENSION + "} MetricName=\"" + name
                + "\" " + DEPLOYMENT_DIMENSION + "=\"" + deployment + "\"', '" + statistic + "', "
                + period.toSeconds().intValue() + ")";
    }

    private void alarm(String name, String description, IMetric metric, int threshold, ComparisonOperator operator,
                       TreatMissingData missing, boolean notifyOk) {
        Alarm alarm = Alarm.Builder.create(this, name)
                .alarmName(deployment + "-" + name)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(operator)
                .evaluationPeriods(1)
                .datapointsToAlarm(1)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        if (notifyOk) {
            alarm.addOkAction(new SnsAction(topic));
        }
        alarms.put(name, alarm);
    }

    /** The five alarms, by their name in the spec. */
    public Map<String, Alarm> alarms() {
        return alarms;
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
