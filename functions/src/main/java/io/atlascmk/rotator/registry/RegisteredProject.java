package io.atlascmk.rotator.registry;

import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.rotator.rotation.Inputs;
import io.atlascmk.rotator.rotation.InvalidInputException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * One project of the registry: the Atlas project, where its keys live, when it is rotated, and the settings every
 * execution of it runs with (the same fields, ranges and defaults as a project of {@code rotator.config.json}).
 *
 * @param projectId        the Atlas project id (24 lower-case hex digits)
 * @param awsRegion        the region of the project's KMS key (new keys are created there)
 * @param schedule         when to rotate: an EventBridge Scheduler {@code rate(...)} or {@code cron(...)} expression;
 *                         null: rotated only by an Atlas alert or by hand
 * @param scheduleTimeZone the IANA time zone of the schedule; null: UTC
 * @param settings         cooldownDays, pendingWindowDays, extraClusterNames, minRetirementDays, adoptedKeys, copyTags
 * @param source           {@link #SOURCE_CONFIG} (seeded from the stack's configuration at deploy, replaced by the next
 *                         deploy) or {@link #SOURCE_CLI} (registered by an operator, never touched by a deploy)
 * @param updatedAt        when it was last written; null before it is
 * @param keyAccountRoleArn    the keys live in another AWS account: the member stack's role there; null: in this
 *                             deployment's account
 * @param keyAccountExternalId the external id the member role requires (given with {@code keyAccountRoleArn})
 */
public record RegisteredProject(
        String projectId,
        String awsRegion,
        String schedule,
        String scheduleTimeZone,
        ExecutionSettings settings,
        String source,
        Instant updatedAt,
        String keyAccountRoleArn,
        String keyAccountExternalId) {

    public static final String SOURCE_CONFIG = "config";
    public static final String SOURCE_CLI = "cli";

    /** As the stack's configuration accepts them (infra/: RotatorConfigValidator). */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}");
    private static final Pattern RATE = Pattern.compile("rate\\([1-9]\\d* (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\(([^()\\s]+(\\s+[^()\\s]+){5})\\)");

    /** A project whose keys are in this deployment's own account. */
    public RegisteredProject(String projectId, String awsRegion, String schedule, String scheduleTimeZone,
            ExecutionSettings settings, String source, Instant updatedAt) {
        this(projectId, awsRegion, schedule, scheduleTimeZone, settings, source, updatedAt, null, null);
    }

    public RegisteredProject {
        Inputs.projectId("projectId", projectId);
        if (awsRegion == null || !REGION.matcher(awsRegion).matches()) {
            throw new InvalidInputException("awsRegion", "must be the AWS region of the project's KMS key, such as"
                    + " us-east-1" + (awsRegion == null ? "." : ", not '" + awsRegion + "'."));
        }
        if (schedule != null && !validSchedule(schedule)) {
            throw new InvalidInputException("schedule", "must be an EventBridge Scheduler expression such as"
                    + " rate(90 days) or cron(0 3 1 */3 ? *) (day-of-month or day-of-week ?), not '" + schedule + "'.");
        }
        if (scheduleTimeZone != null) {
            try {
                ZoneId.of(scheduleTimeZone);
            } catch (DateTimeException e) {
                throw new InvalidInputException("scheduleTimeZone", "must be an IANA time zone such as Europe/Berlin,"
                        + " not '" + scheduleTimeZone + "'.");
            }
        }
        settings = settings == null ? new ExecutionSettings(null, null, null, null, null) : settings;
        if (source == null) {
            source = SOURCE_CLI;
        }
        io.atlascmk.rotator.aws.KeyAccount.ofNullable(keyAccountRoleArn, keyAccountExternalId);
        if (!SOURCE_CONFIG.equals(source) && !SOURCE_CLI.equals(source)) {
            throw new InvalidInputException("source", "must be config or cli, not '" + source + "'.");
        }
    }

    private static boolean validSchedule(String schedule) {
        if (RATE.matcher(schedule).matches()) {
            return true;
        }
        var cron = CRON.matcher(schedule);
        if (!cron.matches()) {
            return false;
        }
        String[] fields = cron.group(1).trim().split("\\s+");
        return "?".equals(fields[2]) || "?".equals(fields[4]);
    }

    /** The same project, written by {@code source} at {@code now}. */
    public RegisteredProject writtenBy(String newSource, Instant now) {
        return new RegisteredProject(projectId, awsRegion, schedule, scheduleTimeZone, settings, newSource, now,
                keyAccountRoleArn, keyAccountExternalId);
    }

    /** The other AWS account holding the project's keys; null when they are in this deployment's account. */
    public io.atlascmk.rotator.aws.KeyAccount keyAccount() {
        return io.atlascmk.rotator.aws.KeyAccount.ofNullable(keyAccountRoleArn, keyAccountExternalId);
    }
}
