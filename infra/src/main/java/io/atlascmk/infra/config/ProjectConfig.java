package io.atlascmk.infra.config;

import java.util.List;

/**
 * One Atlas project the rotator looks after, as written in {@code rotator.config.json}.
 *
 * <p>Fields are nullable because this record is what the JSON binds into; {@link RotatorConfigValidator}
 * says what is missing or wrong before anything uses it.
 *
 * <p>{@code atlasRoleId} and {@code keyAdminPrincipals} are validated but, today, used by nothing: no function
 * receives them and no key policy is built from them. They record the project's setup in the file. Each run
 * reads the role from Atlas ({@code awsKms.roleId} and its IAM role ARN under {@code cloudProviderAccess}), and
 * GrantAtlasAccess gives the new key the current key's policy (its account and administrator statements as
 * they are) plus the statement for that Atlas role: key administrators come from the current key's policy.
 *
 * @param projectId          the Atlas project id (24 lowercase hex characters, as in the Atlas project URL)
 * @param atlasRoleId        the Atlas cloud provider access role id (24 hex) that Atlas uses to reach KMS; a record
 *                           only: the workflow reads the role id from the project's encryption-at-rest
 *                           configuration in Atlas on every run and does not compare it with this value
 * @param awsRegion          the AWS region of the project's KMS key; new keys are created there
 * @param schedule           when to rotate: an EventBridge Scheduler {@code rate(...)} or {@code cron(...)} expression
 * @param scheduleTimeZone   the IANA time zone the schedule is read in (default {@code UTC})
 * @param pendingWindowDays  the KMS deletion waiting period for retired keys, 7 to 30 days
 * @param cooldownDays       minimum days between two rotations of this project, 0 or more
 * @param keyAdminPrincipals IAM principal ARNs that administer the project's keys; a record only: the rotator does
 *                           not write them into key policies (the new key keeps the administrators the current
 *                           key's policy names), so list here the principals that policy grants administration
 * @param extraClusterNames  names of clusters that no longer exist but whose snapshots may still use a retired key
 *                           (in addition to the deleted clusters Atlas lists with their retained backups)
 * @param minRetirementDays  a retired key is never deleted sooner after its retirement, whatever its snapshots say;
 *                           optional, {@value #DEFAULT_MIN_RETIREMENT_DAYS} by default, at least
 *                           {@value #MIN_RETIREMENT_DAYS_FLOOR}
 * @param adoptedKeys        optional: {@code delete-when-unused} (default: the key Atlas used before the first
 *                           rotation is deleted once nothing, including another project, a grant or its policy,
 *                           needs it) or {@code keep} (never deleted by the rotator)
 * @param method             optional: {@code new-key} (default: a new key per rotation, Atlas switched to it) or
 *                           {@code key-material} (KMS rotates the key's material, automatically every
 *                           {@code rotationPeriodDays} and on demand for manual and alert runs; the key id never
 *                           changes, Atlas is not touched, nothing is deleted)
 * @param rotationPeriodDays optional, with {@code key-material}: KMS's automatic rotation period, 90 to 2560 days
 *                           (default 365)
 * @param copyTags           optional: tag keys each new key takes from the key it replaces, at creation (so tag
 *                           policies and SCPs that require them on CreateKey pass)
 * @param keyAccountRoleArn  optional: the project's keys live in another AWS account; the role of that account's member
 *                           stack ({@code KeyAccountStack}'s output {@code KeyAccountRoleArn})
 * @param keyAccountExternalId with {@code keyAccountRoleArn}: the external id the member stack was deployed with
 */
public record ProjectConfig(
        String projectId,
        String atlasRoleId,
        String awsRegion,
        String schedule,
        String scheduleTimeZone,
        Integer pendingWindowDays,
        Integer cooldownDays,
        List<String> keyAdminPrincipals,
        List<String> extraClusterNames,
        Integer minRetirementDays,
        String adoptedKeys,
        List<String> copyTags,
        String method,
        Integer rotationPeriodDays,
        String keyAccountRoleArn,
        String keyAccountExternalId) {

    /** A project whose keys are in the rotator's own account. */
    public ProjectConfig(String projectId, String atlasRoleId, String awsRegion, String schedule,
                         String scheduleTimeZone, Integer pendingWindowDays, Integer cooldownDays,
                         List<String> keyAdminPrincipals, List<String> extraClusterNames, Integer minRetirementDays,
                         String adoptedKeys, List<String> copyTags, String method, Integer rotationPeriodDays) {
        this(projectId, atlasRoleId, awsRegion, schedule, scheduleTimeZone, pendingWindowDays, cooldownDays,
                keyAdminPrincipals, extraClusterNames, minRetirementDays, adoptedKeys, copyTags, method,
                rotationPeriodDays, null, null);
    }

    /** A project rotated by the new-key method (the default). */
    public ProjectConfig(String projectId, String atlasRoleId, String awsRegion, String schedule,
                         String scheduleTimeZone, Integer pendingWindowDays, Integer cooldownDays,
                         List<String> keyAdminPrincipals, List<String> extraClusterNames, Integer minRetirementDays,
                         String adoptedKeys, List<String> copyTags) {
        this(projectId, atlasRoleId, awsRegion, schedule, scheduleTimeZone, pendingWindowDays, cooldownDays,
                keyAdminPrincipals, extraClusterNames, minRetirementDays, adoptedKeys, copyTags, null, null, null, null);
    }

    /** The minimum retirement when a project sets none (the functions use the same default). */
    public static final int DEFAULT_MIN_RETIREMENT_DAYS = 30;
    /** The shortest minimum retirement a project may set. */
    public static final int MIN_RETIREMENT_DAYS_FLOOR = 7;
    /** The longest minimum retirement accepted (ten years). */
    public static final int MAX_RETIREMENT_DAYS = 3_650;

    /** A project with the default minimum retirement. */
    public ProjectConfig(String projectId, String atlasRoleId, String awsRegion, String schedule,
                         String scheduleTimeZone, Integer pendingWindowDays, Integer cooldownDays,
                         List<String> keyAdminPrincipals, List<String> extraClusterNames) {
        this(projectId, atlasRoleId, awsRegion, schedule, scheduleTimeZone, pendingWindowDays, cooldownDays,
                keyAdminPrincipals, extraClusterNames, null, null, null);
    }

    /** A project whose adopted keys are deleted once unused (the default). */
    public ProjectConfig(String projectId, String atlasRoleId, String awsRegion, String schedule,
                         String scheduleTimeZone, Integer pendingWindowDays, Integer cooldownDays,
                         List<String> keyAdminPrincipals, List<String> extraClusterNames, Integer minRetirementDays) {
        this(projectId, atlasRoleId, awsRegion, schedule, scheduleTimeZone, pendingWindowDays, cooldownDays,
                keyAdminPrincipals, extraClusterNames, minRetirementDays, null, null);
    }

    /** Time zone used when {@link #scheduleTimeZone()} is not given. */
    public static final String DEFAULT_TIME_ZONE = "UTC";

    public ProjectConfig {
        keyAdminPrincipals = keyAdminPrincipals == null ? null : Lists.copyAllowingNulls(keyAdminPrincipals);
        copyTags = copyTags == null ? List.of() : Lists.copyAllowingNulls(copyTags);
        extraClusterNames = extraClusterNames == null ? List.of() : Lists.copyAllowingNulls(extraClusterNames);
    }

    /** The schedule's time zone, {@value #DEFAULT_TIME_ZONE} when none is configured. */
    public String effectiveTimeZone() {
        return scheduleTimeZone == null ? DEFAULT_TIME_ZONE : scheduleTimeZone;
    }
}
