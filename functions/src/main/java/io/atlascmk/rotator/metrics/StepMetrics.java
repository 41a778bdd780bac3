package io.atlascmk.rotator.metrics;

import io.atlascmk.rotator.atlas.AtlasCalls;
import io.atlascmk.rotator.fleet.FleetPlanner;
import io.atlascmk.rotator.rescue.RescueResult;
import io.atlascmk.rotator.rotation.AuditAndRetireRequest;
import io.atlascmk.rotator.rotation.AuditAndRetireResult;
import io.atlascmk.rotator.rotation.AuditedKey;
import io.atlascmk.rotator.rotation.CheckDeploymentRequest;
import io.atlascmk.rotator.rotation.CheckDeploymentResult;
import io.atlascmk.rotator.rotation.PreflightResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.atlascmk.rotator.metrics.MetricLine.Sets.AGGREGATE;
import static io.atlascmk.rotator.metrics.MetricLine.Sets.PROJECT;
import static io.atlascmk.rotator.metrics.MetricLine.Sets.PROJECT_AND_AGGREGATE;

/**
 * What each function measures of its call, as {@link MetricLine}s (README: Metrics). Pure: the handlers write the
 * lines with {@link Metrics}.
 */
public final class StepMetrics {

    private static final double SECONDS_PER_DAY = 86_400.0;

    private StepMetrics() {
    }

    /** Preflight: a rotation (new key or key material) starts, unless this is a dry run. */
    public static MetricLine preflight(PreflightResult result) {
        MetricLine line = MetricLine.of(result.projectId());
        boolean starts = PreflightResult.ROTATE.equals(result.decision())
                || PreflightResult.ROTATE_MATERIAL.equals(result.decision());
        return starts && !result.dryRun() ? line.count(Metrics.ROTATIONS_STARTED, 1, PROJECT_AND_AGGREGATE) : line;
    }

    /** CheckDeployment: once, on the check that finds the deployment done, the seconds from the switch to now. */
    public static MetricLine deployment(CheckDeploymentRequest request, CheckDeploymentResult result, Instant now) {
        MetricLine line = MetricLine.of(request.projectId());
        if (!CheckDeploymentResult.DEPLOYED.equals(result.status())) {
            return line;
        }
        double seconds = Math.max(0, Duration.between(request.switchedAt(), now).toMillis() / 1000.0);
        return line.seconds(Metrics.DEPLOYMENT_WAIT_SECONDS, seconds, PROJECT_AND_AGGREGATE);
    }

    /**
     * AuditAndRetire (not a dry run, which decides nothing): the keys kept and scheduled for deletion, the kept keys
     * whose safe-after date has passed, and the days to the earliest safe-after date of a kept key (left out when no
     * kept key has one).
     */
    public static MetricLine audit(AuditAndRetireRequest request, AuditAndRetireResult result, Instant now) {
        MetricLine line = MetricLine.of(request.projectId());
        if (request.isDryRun()) {
            return line;
        }
        List<AuditedKey> kept = result.keys().stream()
                .filter(k -> !AuditedKey.SCHEDULE_DELETION.equals(k.decision())).toList();
        long scheduled = result.keys().size() - kept.size();
        // kept although the date it was to be safe by has passed: the one it carried before this audit (an earlier audit's
        // or its retirement's promise), or the one this audit found (a snapshot past its expiry still listed)
        long pastSafeAfter = kept.stream().filter(k -> passed(k.previousSafeAfter(), now) || passed(k.safeAfter(), now))
                .count();
        line = line.count(Metrics.RETIRED_KEYS_WAITING, kept.size(), PROJECT_AND_AGGREGATE)
                .count(Metrics.RETIRED_KEYS_PAST_SAFE_AFTER, pastSafeAfter, PROJECT_AND_AGGREGATE)
                .count(Metrics.DELETIONS_SCHEDULED, scheduled, PROJECT_AND_AGGREGATE);
        Instant earliest = kept.stream().map(AuditedKey::safeAfter).filter(Objects::nonNull).min(Instant::compareTo)
                .orElse(null);
        return earliest == null ? line
                : line.none(Metrics.EARLIEST_SAFE_AFTER_DAYS, days(Duration.between(now, earliest)), PROJECT);
    }

    /** Rescue: a deletion cancelled (per project), or one it could not cancel (the deployment's aggregate). */
    public static MetricLine rescue(RescueResult result) {
        if (RescueResult.RESCUED.equals(result.outcome())) {
            return MetricLine.of(result.projectId()).count(Metrics.DELETIONS_CANCELLED, 1,
                    result.projectId() == null ? AGGREGATE : PROJECT_AND_AGGREGATE);
        }
        if (RescueResult.NEEDS_OPERATOR.equals(result.outcome())) {
            return MetricLine.of(null).count(Metrics.DELETIONS_NOT_CANCELLED, 1, AGGREGATE);
        }
        return MetricLine.of(null);
    }

    /**
     * FleetPlan: each project's key age (one line per project whose age is known) and, always, the number of projects
     * whose key is overdue (0 included, so the alarm sees data every run).
     */
    public static List<MetricLine> fleet(FleetPlanner.Plan plan) {
        List<MetricLine> lines = new ArrayList<>();
        for (FleetPlanner.KeyAge age : plan.ages()) {
            lines.add(MetricLine.of(age.projectId()).none(Metrics.KEY_AGE_DAYS, days(age.age()), PROJECT));
        }
        lines.add(MetricLine.of(null).count(Metrics.KEYS_OVERDUE, plan.overdue(), AGGREGATE));
        return lines;
    }

    /**
     * The Atlas client's retries and 429s of one invocation that called Atlas (0 included); nothing when it did not.
     * Per project when the call was about one.
     */
    public static MetricLine atlas(String projectId, AtlasCalls calls) {
        MetricLine line = MetricLine.of(projectId);
        if (!calls.calledAtlas()) {
            return line;
        }
        return line.count(Metrics.ATLAS_RETRIES, calls.retries(), line.projectOrAggregate())
                .count(Metrics.ATLAS_RATE_LIMITED, calls.rateLimited(), line.projectOrAggregate());
    }

    private static boolean passed(Instant date, Instant now) {
        return date != null && !date.isAfter(now);
    }

    /** Days, to the hundredth. */
    static double days(Duration duration) {
        return Math.round(duration.toMillis() / 1000.0 / SECONDS_PER_DAY * 100.0) / 100.0;
    }
}
