package io.atlascmk.rotator.atlas;

/**
 * The part of a cluster's backup schedule the rotator needs.
 *
 * @param clusterName       cluster name
 * @param restoreWindowDays continuous-backup restore window; null when the schedule has none
 */
public record BackupSchedule(String clusterName, Integer restoreWindowDays) {
}
