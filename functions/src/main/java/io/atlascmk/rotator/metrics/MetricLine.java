package io.atlascmk.rotator.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The metrics of one EMF line: values of one project (or of none), each with its unit and the dimension sets it is
 * published under. Immutable; {@link #count}, {@link #seconds} and {@link #none} return a longer line.
 *
 * @param projectId the project the values are about; null for a line of aggregate metrics only
 * @param values    the metrics, each name at most once
 */
public record MetricLine(String projectId, List<Value> values) {

    /** A metric's unit, as CloudWatch spells it. */
    public enum Unit {
        COUNT("Count"), SECONDS("Seconds"), NONE("None");

        private final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }

        public String cloudWatchName() {
            return cloudWatch;
        }
    }

    /** Which dimension sets a metric is published under (every set starts with {@code Deployment}). */
    public enum Sets {
        /** {@code [Deployment, ProjectId]} and {@code [Deployment]}: per project and the deployment's aggregate. */
        PROJECT_AND_AGGREGATE,
        /** {@code [Deployment, ProjectId]} only. */
        PROJECT,
        /** {@code [Deployment]} only. */
        AGGREGATE
    }

    /** One metric's value. */
    public record Value(String name, Unit unit, Sets sets, double value) {
        public Value {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(sets, "sets");
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("Metric " + name + " needs a finite value, not " + value);
            }
        }
    }

    public MetricLine {
        values = List.copyOf(values);
        if (projectId == null && values.stream().anyMatch(v -> v.sets() != Sets.AGGREGATE)) {
            throw new IllegalArgumentException("A per-project metric needs the project: " + values);
        }
        if (values.stream().map(Value::name).distinct().count() != values.size()) {
            throw new IllegalArgumentException("A line holds each metric once: " + values);
        }
    }

    /** An empty line about {@code projectId} (null: aggregate metrics only). */
    public static MetricLine of(String projectId) {
        return new MetricLine(projectId, List.of());
    }

    /** Per-project metrics when there is a project, else the aggregate only (a call not about one project). */
    public Sets projectOrAggregate() {
        return projectId == null ? Sets.AGGREGATE : Sets.PROJECT_AND_AGGREGATE;
    }

    public MetricLine count(String name, long value, Sets sets) {
        return with(new Value(name, Unit.COUNT, sets, value));
    }

    public MetricLine seconds(String name, double value, Sets sets) {
        return with(new Value(name, Unit.SECONDS, sets, value));
    }

    public MetricLine none(String name, double value, Sets sets) {
        return with(new Value(name, Unit.NONE, sets, value));
    }

    /** This line and {@code other}'s values (same project). */
    public MetricLine and(MetricLine other) {
        if (!Objects.equals(projectId, other.projectId) && !other.values.isEmpty()) {
            throw new IllegalArgumentException("Lines of two projects do not merge: " + projectId + ", " + other.projectId);
        }
        List<Value> all = new ArrayList<>(values);
        all.addAll(other.values);
        return new MetricLine(projectId, all);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private MetricLine with(Value value) {
        List<Value> all = new ArrayList<>(values);
        all.add(value);
        return new MetricLine(projectId, all);
    }
}
