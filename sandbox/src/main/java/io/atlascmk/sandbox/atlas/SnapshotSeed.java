package io.atlascmk.sandbox.atlas;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot to put into a cluster's history directly (past snapshots under old keys, snapshots without
 * {@code expiresAt}, failed ones...). The kind (replica set or sharded) follows the cluster's type.
 */
public final class SnapshotSeed {

    final Instant createdAt;
    Instant expiresAt;
    String keyReference;
    boolean keyGiven;
    String status = "completed";
    String snapshotType = "scheduled";
    String frequencyType = "daily";

    private SnapshotSeed(Instant createdAt) {
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A completed, scheduled, daily snapshot taken at {@code createdAt} that never expires, under no key. */
    public static SnapshotSeed takenAt(Instant createdAt) {
        return new SnapshotSeed(createdAt);
    }

    /** Expires at this instant (null: never). */
    public SnapshotSeed expiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
        return this;
    }

    public SnapshotSeed retainedFor(Duration retention) {
        this.expiresAt = createdAt.plus(retention);
        return this;
    }

    /** Encrypted under this key (id, mrk- id or ARN; recorded as the bare key id). Null: no key. */
    public SnapshotSeed key(String keyReference) {
        if (keyReference != null && !KmsKeyRefs.isKeyReference(keyReference)) {
            throw new IllegalArgumentException("'" + keyReference + "' is not a KMS key id, mrk- id or key ARN.");
        }
        this.keyReference = keyReference;
        this.keyGiven = true;
        return this;
    }

    /** {@code queued}, {@code inProgress}, {@code completed} or {@code failed}. */
    public SnapshotSeed status(String status) {
        this.status = Objects.requireNonNull(status, "status");
        return this;
    }

    /** {@code scheduled}, {@code onDemand} or {@code fallback}. */
    public SnapshotSeed snapshotType(String snapshotType) {
        this.snapshotType = Objects.requireNonNull(snapshotType, "snapshotType");
        return this;
    }

    /** {@code hourly}, {@code daily}, {@code weekly}, {@code monthly}, {@code yearly}, or null. */
    public SnapshotSeed frequencyType(String frequencyType) {
        this.frequencyType = frequencyType;
        return this;
    }
}
