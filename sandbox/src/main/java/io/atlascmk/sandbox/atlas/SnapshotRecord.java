package io.atlascmk.sandbox.atlas;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Cloud Backup snapshot held by the simulator.
 *
 * @param kind           replica-set snapshot (listed by {@code /backup/snapshots}) or sharded-cluster
 *                       snapshot (listed by {@code /backup/snapshots/shardedClusters})
 * @param masterKeyUUID  the bare KMS key id the snapshot is encrypted under; null for clusters without
 *                       customer key management
 * @param expiresAt      null: never expires
 * @param status         {@code queued}, {@code inProgress}, {@code completed} or {@code failed}
 * @param snapshotType   {@code scheduled}, {@code onDemand} or {@code fallback}
 * @param frequencyType  {@code hourly} ... {@code yearly}; null for on-demand snapshots
 * @param policyItemIds  the backup policy items that took it
 * @param members        sharded snapshots only: one member per shard and the config server
 */
public record SnapshotRecord(
        String id,
        String clusterName,
        Kind kind,
        Instant createdAt,
        Instant expiresAt,
        String masterKeyUUID,
        String status,
        String snapshotType,
        String frequencyType,
        List<String> policyItemIds,
        List<Member> members,
        String mongodVersion,
        long storageSizeBytes) {

    public enum Kind { REPLICA_SET, SHARDED_CLUSTER }

    /** A shard or config server replica set in a sharded snapshot. */
    public record Member(String id, String replicaSetName) {
    }

    public SnapshotRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        policyItemIds = List.copyOf(policyItemIds);
        members = List.copyOf(members);
    }

    /** Still listed at {@code now}: no expiry, or an expiry after now. */
    public boolean aliveAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }
}
