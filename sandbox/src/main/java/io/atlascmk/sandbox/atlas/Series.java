package io.atlascmk.sandbox.atlas;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SnapshotSeries} as a cluster holds it: frozen, its snapshots made on demand. Snapshot
 * {@code i} (0 = the newest) was taken at {@code newestAt - i * interval}. Immutable, so pages can be
 * rendered outside the simulator's lock.
 */
final class Series {

    private final String clusterName;
    private final SnapshotRecord.Kind kind;
    private final int count;
    private final Instant newestAt;
    private final long intervalNanos;
    /** Retention in nanoseconds; -1: never expires. */
    private final long retentionNanos;
    private final String[] keys;
    /** keyEnds[k]: snapshots before this index are under keys[0..k]. */
    private final int[] keyEnds;
    private final String status;
    private final String snapshotType;
    private final String frequencyType;
    private final int members;
    private final String memberPrefix;
    private final String mongodVersion;
    private final long storageSizeBytes;
    /** Distinguishes this series' ids from every other id the simulator hands out. */
    private final int number;

    Series(SnapshotSeries spec, SimCluster cluster, Instant now, int number) {
        this.clusterName = cluster.name;
        this.kind = spec.kind != null ? spec.kind : cluster.snapshotKind();
        this.count = spec.count;
        this.newestAt = spec.newestAt != null ? spec.newestAt : now;
        if (newestAt.isAfter(now)) {
            throw new IllegalArgumentException("A snapshot series cannot end in the future (" + newestAt + " is after " + now + ").");
        }
        this.intervalNanos = spec.interval.toNanos();
        this.retentionNanos = spec.retention == null ? -1 : spec.retention.toNanos();
        this.keys = spec.keys.toArray(new String[0]);
        this.keyEnds = new int[keys.length];
        int end = 0;
        for (int k = 0; k < keys.length; k++) {
            end += spec.keyCounts.get(k);
            keyEnds[k] = end;
        }
        this.status = spec.status;
        this.snapshotType = spec.snapshotType;
        this.frequencyType = spec.frequencyType;
        this.members = kind == SnapshotRecord.Kind.SHARDED_CLUSTER ? cluster.replicationSpecIds.size() : 0;
        this.memberPrefix = cluster.name;
        this.mongodVersion = cluster.mongoDBVersion;
        this.storageSizeBytes = 512L * 1024 * 1024 * Math.max(1, cluster.replicationSpecIds.size());
        this.number = number & 0xffff;
    }

    SnapshotRecord.Kind kind() {
        return kind;
    }

    Instant createdAt(int i) {
        return newestAt.minusNanos(intervalNanos * i);
    }

    /** How many of the newest are still listed at {@code now}: snapshot i expires at createdAt(i) + retention. */
    int alive(Instant now) {
        if (retentionNanos < 0) {
            return count;
        }
        // i is alive when newestAt - i*interval + retention > now, i.e. i*interval < newestAt + retention - now
        long room = java.time.Duration.between(now, newestAt).toNanos() + retentionNanos;
        if (room <= 0) {
            return 0;
        }
        long alive = (room + intervalNanos - 1) / intervalNanos;
        return (int) Math.min(count, alive);
    }

    boolean hasAlive(Instant now) {
        return alive(now) > 0;
    }

    String id(int i) {
        return id(i, 0);
    }

    /** {@code seconds(8) f(1) slot(3) series(4) index(8)}: slot 0 is the snapshot, 1.. its members. */
    private String id(int i, int slot) {
        long seconds = Math.max(0, createdAt(i).getEpochSecond()) & 0xffff_ffffL;
        char[] id = new char[24];
        hex(id, 0, seconds, 8);
        id[8] = 'f';
        hex(id, 9, slot, 3);
        hex(id, 12, number, 4);
        hex(id, 16, i & 0xffff_ffffL, 8);
        return new String(id);
    }

    private static void hex(char[] out, int at, long value, int digits) {
        for (int d = digits - 1; d >= 0; d--) {
            out[at + d] = Character.forDigit((int) (value & 0xf), 16);
            value >>>= 4;
        }
    }

    SnapshotRecord record(int i) {
        Instant created = createdAt(i);
        String key = null;
        for (int k = 0; k < keys.length; k++) {
            if (i < keyEnds[k]) {
                key = keys[k];
                break;
            }
        }
        List<SnapshotRecord.Member> memberList = new ArrayList<>(members == 0 ? 0 : members + 1);
        if (members > 0) {
            for (int m = 0; m < members; m++) {
                memberList.add(new SnapshotRecord.Member(id(i, m + 1), memberPrefix + "-shard-" + m));
            }
            memberList.add(new SnapshotRecord.Member(id(i, members + 1), memberPrefix + "-config-0"));
        }
        return new SnapshotRecord(id(i), clusterName, kind, created,
                retentionNanos < 0 ? null : created.plusNanos(retentionNanos), key, status, snapshotType, frequencyType,
                List.of(), memberList, mongodVersion, storageSizeBytes);
    }
}
