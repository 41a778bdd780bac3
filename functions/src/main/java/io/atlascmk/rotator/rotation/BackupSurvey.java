package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasInvalidRequestException;
import io.atlascmk.rotator.atlas.AtlasNotFoundException;
import io.atlascmk.rotator.atlas.BackupSchedule;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every snapshot of every cluster of a project, live or deleted, read once per run and shared by the
 * decisions for every key.
 *
 * <p>What is read, per live cluster: the replica-set list (all pages) <em>and</em> the sharded-cluster
 * list, whatever the cluster's type today: a cluster converted from a replica set to a sharded
 * cluster keeps its replica-set snapshots. When Atlas answers 400 for the list that does not match the
 * cluster's current type, that list is taken as empty. For a cluster with continuous backup
 * ({@code pitEnabled}) the backup schedule gives its restore window; a 404 there leaves the window
 * unknown, which keeps every key (the policy refuses).
 *
 * <p><b>Deleted clusters.</b> A cluster deleted with its backups retained (by {@code retainBackups},
 * or by a Backup Compliance Policy, whatever the person who deleted it chose) is no longer in the
 * cluster list, but its snapshots still need the key they were taken under. The survey asks Atlas for
 * them itself ({@code includeDeletedWithRetainedBackups=true}): every cluster in that list that is not
 * live is read as a deleted cluster, both snapshot lists. If that list cannot be read the survey fails
 * and nothing is decided (better no decision than one on a partial read).
 *
 * <p><b>Extra cluster names</b> (configured, for deleted clusters Atlas might not list) are read the
 * same way, in addition. When Atlas answers 404 for both lists of a deleted cluster, whether Atlas
 * listed it or it was configured, the audit cannot know what its snapshots need: it is reported in
 * {@link #unreadableClusters()} and <em>no</em> key is deleted while that holds.
 *
 * @param clusters           the backups of every readable cluster, live ones first
 * @param unreadableClusters deleted clusters whose snapshots could not be read, with why
 * @param snapshotsRead      snapshots read in all
 */
record BackupSurvey(List<ClusterBackups> clusters, List<Unreadable> unreadableClusters, int snapshotsRead) {

    /** A deleted cluster whose snapshots could not be read, and what the operator can do. */
    record Unreadable(String clusterName, String reason) {
    }

    BackupSurvey {
        clusters = List.copyOf(clusters);
        unreadableClusters = List.copyOf(unreadableClusters);
    }

    static BackupSurvey read(AtlasApi atlas, String projectId, List<String> extraClusterNames) {
        return read(atlas, projectId, atlas.listClusters(projectId), extraClusterNames);
    }

    /** As {@link #read(AtlasApi, String, List)}, over a list of live clusters the caller has already read. */
    static BackupSurvey read(AtlasApi atlas, String projectId, List<Cluster> liveClusters,
            List<String> extraClusterNames) {
        List<ClusterBackups> backups = new ArrayList<>();
        Set<String> live = new LinkedHashSet<>();
        int read = 0;
        for (Cluster cluster : liveClusters) {
            live.add(cluster.name());
            List<Snapshot> snapshots = new ArrayList<>();
            snapshots.addAll(listOrEmpty(() -> atlas.listReplicaSetSnapshots(projectId, cluster.name()),
                    cluster.isSharded(), cluster.backupKnownOff()));
            snapshots.addAll(listOrEmpty(() -> atlas.listShardedClusterSnapshots(projectId, cluster.name()),
                    !cluster.isSharded(), cluster.backupKnownOff()));
            BackupSchedule schedule = null;
            if (Boolean.TRUE.equals(cluster.pitEnabled())) {
                try {
                    schedule = atlas.getBackupSchedule(projectId, cluster.name());
                } catch (AtlasNotFoundException noSchedule) {
                    schedule = null;
                }
            }
            backups.add(ClusterBackups.of(cluster, schedule, snapshots));
            read += snapshots.size();
        }

        Set<String> listedDeleted = new LinkedHashSet<>();
        for (Cluster cluster : atlas.listClustersWithRetainedBackups(projectId)) {
            if (!live.contains(cluster.name())) {
                listedDeleted.add(cluster.name());
            }
        }
        Set<String> deleted = new LinkedHashSet<>(listedDeleted);
        for (String name : extraClusterNames) {
            if (!live.contains(name)) {
                deleted.add(name);
            }
        }
        List<Unreadable> unreadable = new ArrayList<>();
        for (String name : deleted) {
            List<Snapshot> replicaSet = nullIfNotFound(() -> atlas.listReplicaSetSnapshots(projectId, name));
            List<Snapshot> sharded = nullIfNotFound(() -> atlas.listShardedClusterSnapshots(projectId, name));
            if (replicaSet == null && sharded == null) {
                unreadable.add(new Unreadable(name, listedDeleted.contains(name)
                        ? "Atlas lists cluster '" + name + "' as deleted with retained backups, but answers 404 for both"
                        + " of its snapshot lists: its snapshots cannot be checked, so no key is deleted. Run again"
                        + " later; if it persists, ask MongoDB support why the retained snapshots cannot be listed."
                        : "Atlas knows no cluster '" + name + "' (404 for its replica-set and sharded snapshot lists),"
                        + " which is configured in extraClusterNames: its retained snapshots, if any, cannot be checked,"
                        + " so no key is deleted. Remove the name from extraClusterNames once you have made sure it has"
                        + " no snapshots left, or fix its spelling."));
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
     * cluster, and a 400 or 404 only for a cluster whose Cloud Backup is known to be off. Anything else
     * fails the audit (better no decision than one on a partial read).
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
