package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasInvalidRequestException;
import io.atlascmk.rotator.atlas.AtlasNotFoundException;
import io.atlascmk.rotator.atlas.BackupSchedule;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every snapshot of every cluster of a project, read once per run and shared by the decisions for
 * every key.
 *
 * <p>What is read, per cluster: the replica-set list (all pages) <em>and</em> the sharded-cluster
 * list, whatever the cluster's type today: a cluster converted from a replica set to a sharded
 * cluster keeps its replica-set snapshots. When Atlas answers 400 for the list that does not match the
 * cluster's current type, that list is taken as empty. For a cluster with continuous backup
 * ({@code pitEnabled}) the backup schedule gives its restore window; a 404 there leaves the window
 * unknown, which keeps every key (the policy refuses).
 *
 * <p><b>Extra cluster names</b> (clusters that no longer exist, whose retained snapshots Atlas still
 * lists) are read the same way. When Atlas answers 404 for both lists, the audit cannot know what
 * that cluster's snapshots need, so the name is reported as {@link #unreadableClusters()} and
 * <em>no</em> key is deleted while it is configured: a misspelled or forgotten name costs a delay,
 * never a snapshot. Remove the name from the configuration once its snapshots are gone.
 *
 * @param clusters           the backups of every readable cluster
 * @param unreadableClusters extra cluster names Atlas knows nothing about
 * @param snapshotsRead      snapshots read in all
 */
record BackupSurvey(List<ClusterBackups> clusters, List<String> unreadableClusters, int snapshotsRead) {

    BackupSurvey {
        clusters = List.copyOf(clusters);
        unreadableClusters = List.copyOf(unreadableClusters);
    }

    static BackupSurvey read(AtlasApi atlas, String projectId, List<String> extraClusterNames) {
        return read(atlas, projectId, atlas.listClusters(projectId), extraClusterNames);
    }

    /** As {@link #read(AtlasApi, String, List)}, over a cluster list the caller has already read. */
    static BackupSurvey read(AtlasApi atlas, String projectId, List<Cluster> liveClusters,
            List<String> extraClusterNames) {
        List<ClusterBackups> backups = new ArrayList<>();
        Set<String> live = new HashSet<>();
        int read = 0;
        for (Cluster cluster : liveClusters) {
            live.add(cluster.name());
            List<Snapshot> snapshots = new ArrayList<>();
            snapshots.addAll(listOrEmpty(() -> atlas.listReplicaSetSnapshots(projectId, cluster.name()),
                    cluster.isSharded(), !cluster.backupEnabled()));
            snapshots.addAll(listOrEmpty(() -> atlas.listShardedClusterSnapshots(projectId, cluster.name()),
                    !cluster.isSharded(), !cluster.backupEnabled()));
            BackupSchedule schedule = null;
            if (cluster.pitEnabled()) {
                try {
                    schedule = atlas.getBackupSchedule(projectId, cluster.name());
                } catch (AtlasNotFoundException noSchedule) {
                    schedule = null;
                }
            }
            backups.add(ClusterBackups.of(cluster, schedule, snapshots));
            read += snapshots.size();
        }
        List<String> unreadable = new ArrayList<>();
        for (String name : extraClusterNames) {
            if (live.contains(name)) {
                continue;
            }
            List<Snapshot> replicaSet = nullIfNotFound(() -> atlas.listReplicaSetSnapshots(projectId, name));
            List<Snapshot> sharded = nullIfNotFound(() -> atlas.listShardedClusterSnapshots(projectId, name));
            if (replicaSet == null && sharded == null) {
                unreadable.add(name);
                continue;
            }
            List<Snapshot> snapshots = new ArrayList<>();
            if (replicaSet != null) {
                snapshots.addAll(replicaSet);
            }
            if (sharded != null) {
                snapshots.addAll(sharded);
            }
            backups.add(ClusterBackups.terminated(name, snapshots));
            read += snapshots.size();
        }
        return new BackupSurvey(backups, unreadable, read);
    }

    /**
     * A list call; a 400 is "no snapshots of this kind" only for the kind that does not match the
     * cluster, and a 400 or 404 only for a cluster whose Cloud Backup is off. Anything else fails the
     * audit (better no decision than one on a partial read).
     */
    private static List<Snapshot> listOrEmpty(Supplier<List<Snapshot>> call, boolean otherKind, boolean backupOff) {
        try {
            return call.get();
        } catch (AtlasInvalidRequestException notThisKind) {
            if (otherKind || backupOff) {
                return List.of();
            }
            throw notThisKind;
        } catch (AtlasNotFoundException none) {
            if (backupOff) {
                return List.of();
            }
            throw none;
        }
    }

    private static List<Snapshot> nullIfNotFound(Supplier<List<Snapshot>> call) {
        try {
            return call.get();
        } catch (AtlasNotFoundException | AtlasInvalidRequestException unknownCluster) {
            return null;
        }
    }
}
