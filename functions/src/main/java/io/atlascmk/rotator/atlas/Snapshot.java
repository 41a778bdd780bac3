package io.atlascmk.rotator.atlas;

import java.time.Instant;

/**
 * A Cloud Backup snapshot of a cluster.
 *
 * @param id            snapshot id
 * @param clusterName   the cluster it belongs to
 * @param kind          replica set or sharded cluster snapshot
 * @param masterKeyUUID the KMS key the snapshot is encrypted under, as Atlas reports it (may be null)
 * @param createdAt     when it was taken
 * @param expiresAt     when Atlas deletes it; null when it never expires (or Atlas did not say)
 * @param status        {@code queued}, {@code inProgress}, {@code completed}, {@code failed}
 */
public record Snapshot(
        String id,
        String clusterName,
        Kind kind,
        String masterKeyUUID,
        Instant createdAt,
        Instant expiresAt,
        String status) {

    public enum Kind { REPLICA_SET, SHARDED_CLUSTER }
}
