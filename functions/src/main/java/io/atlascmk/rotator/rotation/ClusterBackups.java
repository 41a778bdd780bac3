package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.BackupSchedule;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.Snapshot;

import java.util.List;

/**
 * Everything one cluster's backups say about which keys are still needed: what every snapshot Atlas
 * lists for it says (all pages, replica-set and sharded lists together), summarised as it streamed by
 * ({@link SnapshotSummary}: counts per key, expiries, the first ids, never the snapshots themselves), and
 * whether continuous backup can still restore it to an earlier moment.
 *
 * @param clusterName       the cluster's name (also for clusters that no longer exist)
 * @param terminated        the cluster no longer exists; only its retained snapshots are left
 * @param pitEnabled        continuous cloud backup (point-in-time restore) is on; null when Atlas did not
 *                          say (that blocks deletion)
 * @param restoreWindowDays the continuous-backup restore window from the backup schedule; null when
 *                          the schedule does not say (with {@code pitEnabled} that blocks deletion)
 * @param pausedWithOldData the cluster is encrypted with AWS KMS and paused, so its data may still be
 *                          under whichever key was active when it paused (blocks deletion); null when
 *                          Atlas did not say whether it is paused (blocks too); false otherwise
 * @param snapshots         what every snapshot of the cluster says, never null
 */
public record ClusterBackups(
        String clusterName,
        boolean terminated,
        Boolean pitEnabled,
        Integer restoreWindowDays,
        Boolean pausedWithOldData,
        SnapshotSummary snapshots) {

    /** A cluster whose snapshots are given as a list. */
    public ClusterBackups(String clusterName, boolean terminated, Boolean pitEnabled, Integer restoreWindowDays,
                          Boolean pausedWithOldData, List<Snapshot> snapshots) {
        this(clusterName, terminated, pitEnabled, restoreWindowDays, pausedWithOldData,
                SnapshotSummary.of(snapshots == null ? List.of() : snapshots));
    }

    /** A cluster that is not paused. */
    public ClusterBackups(String clusterName, boolean terminated, Boolean pitEnabled, Integer restoreWindowDays,
                          List<Snapshot> snapshots) {
        this(clusterName, terminated, pitEnabled, restoreWindowDays, false, snapshots);
    }

    public ClusterBackups {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("A cluster name is required for its backups.");
        }
        if (restoreWindowDays != null && restoreWindowDays < 0) {
            throw new IllegalArgumentException("restoreWindowDays of cluster '" + clusterName + "' is negative: " + restoreWindowDays);
        }
        snapshots = snapshots == null ? SnapshotSummary.none() : snapshots;
    }

    /** A live cluster, its backup schedule (may be null when it has none) and all of its snapshots. */
    public static ClusterBackups of(Cluster cluster, BackupSchedule schedule, List<Snapshot> snapshots) {
        return of(cluster, schedule, SnapshotSummary.of(snapshots));
    }

    /** A live cluster, its backup schedule (may be null when it has none) and what its snapshots say. */
    public static ClusterBackups of(Cluster cluster, BackupSchedule schedule, SnapshotSummary snapshots) {
        Boolean paused = cluster.encryptedWithAwsKms() ? cluster.paused() : Boolean.FALSE;
        return new ClusterBackups(cluster.name(), false, cluster.pitEnabled(),
                schedule == null ? null : schedule.restoreWindowDays(), paused, snapshots);
    }

    /**
     * A cluster that no longer exists (listed by Atlas with {@code includeDeletedWithRetainedBackups},
     * or configured as an extra cluster name): its snapshots are kept by Atlas, but there is nothing to
     * restore to a point in time and no data left to re-encrypt.
     */
    public static ClusterBackups terminated(String clusterName, List<Snapshot> snapshots) {
        return terminated(clusterName, SnapshotSummary.of(snapshots));
    }

    /** As {@link #terminated(String, List)}, with what its snapshots say. */
    public static ClusterBackups terminated(String clusterName, SnapshotSummary snapshots) {
        return new ClusterBackups(clusterName, true, false, null, false, snapshots);
    }
}
