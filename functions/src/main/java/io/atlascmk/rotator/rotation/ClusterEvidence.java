package io.atlascmk.rotator.rotation;

import java.time.Instant;

/**
 * What the audit found in one cluster's backups for one candidate key: the evidence behind a
 * retirement decision, reported whatever the verdict.
 *
 * @param clusterName             the cluster
 * @param terminated              the cluster no longer exists (extra cluster name)
 * @param snapshotsListed         every snapshot Atlas listed for the cluster
 * @param snapshotsHoldingKey     snapshots whose {@code masterKeyUUID} names the key, in any spelling
 * @param replicaSetSnapshotsHoldingKey of those, replica-set snapshots
 * @param shardedSnapshotsHoldingKey    of those, sharded-cluster snapshots
 * @param snapshotsWithUnknownKey snapshots without a readable {@code masterKeyUUID} taken while the
 *                                key may have been active (counted as possibly holding it)
 * @param latestExpiresAt         latest {@code expiresAt} among the snapshots holding or possibly
 *                                holding the key; null when there are none or none has an expiry
 * @param restoreWindowEnd        for a continuous-backup cluster: the instant after which it can no
 *                                longer restore to a moment the key was active; null otherwise
 */
public record ClusterEvidence(
        String clusterName,
        boolean terminated,
        int snapshotsListed,
        int snapshotsHoldingKey,
        int replicaSetSnapshotsHoldingKey,
        int shardedSnapshotsHoldingKey,
        int snapshotsWithUnknownKey,
        Instant latestExpiresAt,
        Instant restoreWindowEnd) {
}
