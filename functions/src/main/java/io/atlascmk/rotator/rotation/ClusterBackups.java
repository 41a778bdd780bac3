package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.BackupSchedule;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.Snapshot;

import java.util.List;

/**
 * Everything one cluster's backups say about which keys are still needed: every snapshot Atlas lists
 * for it (all pages, replica-set and sharded lists together) and whether continuous backup can still
 * restore it to an earlier moment.
 *
 * @param clusterName       the cluster's name (also for clusters that no longer exist)
 * @param terminated        the cluster no longer exists; only its retained snapshots are left
 * @param pitEnabled        continuous cloud backup (point-in-time restore) is on
 * @param restoreWindowDays the continuous-backup restore window from the backup schedule; null when
 *                          the schedule does not say (with {@code pitEnabled} that blocks deletion)
 * @param snapshots         every snapshot of the cluster, never null
 */
public record ClusterBackups(
        String clusterName,
        boolean terminated,
        boolean pitEnabled,
        Integer restoreWindowDays,
        List<Snapshot> snapshots) {

    public ClusterBackups {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("A cluster name is required for its backups.");
        }
        if (restoreWindowDays != null && restoreWindowDays < 0) {
            throw new IllegalArgumentException("restoreWindowDays of cluster '" + clusterName + "' is negative: " + restoreWindowDays);
        }
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    /** A live cluster, its backup schedule (may be null when it has none) and all of its snapshots. */
    public static ClusterBackups of(Cluster cluster, BackupSchedule schedule, List<Snapshot> snapshots) {
        return new ClusterBackups(cluster.name(), false, cluster.pitEnabled(),
                schedule == null ? null : schedule.restoreWindowDays(), snapshots);
    }

    /**
     * A cluster that no longer exists (configured as an extra cluster name): its snapshots are kept
     * by Atlas, but there is nothing to restore to a point in time.
     */
    public static ClusterBackups terminated(String clusterName, List<Snapshot> snapshots) {
        return new ClusterBackups(clusterName, true, false, null, snapshots);
    }
}
