package io.atlascmk.sandbox.atlas;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Many snapshots of one cluster at once, cheaply: {@code count} snapshots taken every {@code interval}
 * back from {@code newestAt}, each kept for {@code retention} (or forever), the newest ones under the
 * first key given, the next ones under the second, and so on (those past the last key under none).
 * The simulator stores the description, not the snapshots: each one is made when a page of the list
 * shows it, so a project can hold hundreds of thousands of them in a few kilobytes.
 *
 * <p>Listed like any other snapshot of the cluster, newest first among them all, until it expires;
 * ids are deterministic. The kind (replica set or sharded) follows the cluster's type unless
 * {@link #replicaSet()} or {@link #sharded()} says otherwise (a cluster converted to sharded keeps its
 * replica-set snapshots).
 *
 * <pre>{@code
 * project.addSnapshotSeries("Cluster0", SnapshotSeries.of(2000).newestAt(now).every(Duration.ofHours(6))
 *         .retainedFor(Duration.ofDays(600)).key(currentKey, 1500).key(retiredKey, 500));
 * }</pre>
 */
public final class SnapshotSeries {

    final int count;
    Instant newestAt;
    Duration interval = Duration.ofHours(1);
    Duration retention;
    final List<String> keys = new ArrayList<>();
    final List<Integer> keyCounts = new ArrayList<>();
    SnapshotRecord.Kind kind;
    String status = "completed";
    String snapshotType = "scheduled";
    String frequencyType = "hourly";

    private SnapshotSeries(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A snapshot series has 1 or more snapshots; got " + count + ".");
        }
        this.count = count;
    }

    /** {@code count} snapshots; by default the newest taken when the series is added, one an hour, never expiring. */
    public static SnapshotSeries of(int count) {
        return new SnapshotSeries(count);
    }

    /** When the newest was taken (not after the sandbox clock's now when the series is added). */
    public SnapshotSeries newestAt(Instant newestAt) {
        this.newestAt = Objects.requireNonNull(newestAt, "newestAt");
        return this;
    }

    /** Time between two snapshots of the series (1 second or more). */
    public SnapshotSeries every(Duration interval) {
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("Snapshots of a series are 1 second or more apart; got " + interval + ".");
        }
        this.interval = interval;
        return this;
    }

    /** Each expires this long after it was taken (null: never). */
    public SnapshotSeries retainedFor(Duration retention) {
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("A retention is positive; got " + retention + ".");
        }
        this.retention = retention;
        return this;
    }

    /** The next {@code snapshots} snapshots (counting from the newest) are under this key (id, mrk- id or ARN). */
    public SnapshotSeries key(String keyReference, int snapshots) {
        if (!KmsKeyRefs.isKeyReference(keyReference)) {
            throw new IllegalArgumentException("'" + keyReference + "' is not a KMS key id, mrk- id or key ARN.");
        }
        if (snapshots < 1) {
            throw new IllegalArgumentException("A key holds 1 or more snapshots of a series; got " + snapshots + ".");
        }
        keys.add(KmsKeyRefs.keyId(keyReference));
        keyCounts.add(snapshots);
        return this;
    }

    /** Replica-set snapshots, whatever the cluster's type. */
    public SnapshotSeries replicaSet() {
        this.kind = SnapshotRecord.Kind.REPLICA_SET;
        return this;
    }

    /** Sharded-cluster snapshots (one member per shard and the config server), whatever the cluster's type. */
    public SnapshotSeries sharded() {
        this.kind = SnapshotRecord.Kind.SHARDED_CLUSTER;
        return this;
    }

    /** {@code queued}, {@code inProgress}, {@code completed} or {@code failed}. */
    public SnapshotSeries status(String status) {
        this.status = Objects.requireNonNull(status, "status");
        return this;
    }
}
