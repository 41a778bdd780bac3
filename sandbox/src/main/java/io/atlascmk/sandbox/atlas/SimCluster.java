package io.atlascmk.sandbox.atlas;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The simulator's mutable state of one cluster. Guarded by the simulator's lock. */
final class SimCluster {

    final String id;
    final String name;
    final String clusterType;
    final String encryptionAtRestProvider;
    final boolean backupEnabled;
    final boolean pitEnabled;
    final int restoreWindowDays;
    final String region;
    final String mongoDBVersion;
    final Duration keySwitchDuration;
    final Instant createDate;
    final Instant backupAnchor;
    final List<BackupPolicyItem> policy;
    final List<String> policyItemIds;
    final String policyId;
    /** One replication spec id and zone id per shard (one for a replica set). */
    final List<String> replicationSpecIds;
    final String zoneId;

    /** Scheduled snapshots have been taken for every tick up to and including this instant. */
    Instant scheduledUntil;
    Instant updatingUntil;
    /** When the running key switch starts to show (Atlas plans a change before the cluster reports UPDATING). */
    Instant updatingFrom;
    String stateOverride;
    boolean deleted;
    /** Deleted with its backups kept (by retainBackups or by the project's Backup Compliance Policy). */
    boolean retainedBackups;
    /** Paused: no snapshots are taken, and a key switch reaches its data only when it resumes. */
    boolean paused;
    /** A key switch happened while paused: resuming re-encrypts the data (the cluster goes UPDATING). */
    boolean rewrapOnResume;
    final List<SnapshotRecord> snapshots = new ArrayList<>();
    /** Snapshots described rather than stored (see {@link SnapshotSeries}); they expire by themselves. */
    final List<Series> series = new ArrayList<>();

    SimCluster(ClusterSpec spec, ObjectIds ids, Instant now) {
        this.id = ids.next(now);
        this.name = spec.name;
        this.clusterType = spec.clusterType;
        this.encryptionAtRestProvider = spec.encryptionAtRestProvider;
        this.backupEnabled = spec.backupEnabled;
        this.pitEnabled = spec.pitEnabled;
        this.restoreWindowDays = spec.restoreWindowDays;
        this.region = spec.region;
        this.mongoDBVersion = spec.mongoDBVersion;
        this.keySwitchDuration = spec.keySwitchDuration;
        this.createDate = now;
        this.backupAnchor = spec.backupAnchor == null ? now : spec.backupAnchor;
        this.policy = List.copyOf(spec.policy);
        List<String> itemIds = new ArrayList<>();
        for (int i = 0; i < policy.size(); i++) {
            itemIds.add(ids.next(now));
        }
        this.policyItemIds = List.copyOf(itemIds);
        this.policyId = ids.next(now);
        List<String> specIds = new ArrayList<>();
        for (int i = 0; i < spec.shards; i++) {
            specIds.add(ids.next(now));
        }
        this.replicationSpecIds = List.copyOf(specIds);
        this.zoneId = ids.next(now);
        this.scheduledUntil = now;
    }

    boolean sharded() {
        return "SHARDED".equals(clusterType);
    }

    SnapshotRecord.Kind snapshotKind() {
        return sharded() ? SnapshotRecord.Kind.SHARDED_CLUSTER : SnapshotRecord.Kind.REPLICA_SET;
    }

    String stateAt(Instant now) {
        if (stateOverride != null) {
            return stateOverride;
        }
        boolean started = updatingFrom == null || !now.isBefore(updatingFrom);
        return updatingUntil != null && started && now.isBefore(updatingUntil) ? "UPDATING" : "IDLE";
    }

    /**
     * Takes the scheduled snapshots due in (scheduledUntil, now] under {@code keyId} (the key the
     * project names now: the caller brings every cluster up to date before the key changes), then drops
     * the expired ones.
     */
    void catchUp(Instant now, String keyId, ObjectIds ids) {
        if (paused && now.isAfter(scheduledUntil)) {
            scheduledUntil = now; // a paused cluster is not backed up
        }
        if (backupEnabled && !deleted && now.isAfter(scheduledUntil)) {
            // tick instant -> indexes of the policy items firing then
            TreeMap<Instant, List<Integer>> due = new TreeMap<>();
            for (int i = 0; i < policy.size(); i++) {
                BackupPolicyItem item = policy.get(i);
                Instant from = scheduledUntil;
                Instant cutoff = now.minus(item.maxRetention());
                if (cutoff.isAfter(from)) {
                    from = cutoff; // ticks before this have expired by now anyway
                }
                for (Instant t : ticks(item, from, now)) {
                    if (item.expiry(t).isAfter(now)) {
                        due.computeIfAbsent(t, x -> new ArrayList<>()).add(i);
                    }
                }
            }
            for (Map.Entry<Instant, List<Integer>> e : due.entrySet()) {
                snapshots.add(scheduledSnapshot(e.getKey(), e.getValue(), keyId, ids));
            }
            scheduledUntil = now;
        }
        snapshots.removeIf(s -> !s.aliveAt(now));
    }

    /** Ticks of one item in (from, to]. */
    private List<Instant> ticks(BackupPolicyItem item, Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        Duration period = item.fixedPeriod();
        long k;
        if (period != null) {
            long elapsed = Duration.between(backupAnchor, from).toSeconds();
            k = elapsed < 0 ? 1 : elapsed / period.toSeconds() + 1;
        } else {
            k = 1;
        }
        for (; ; k++) {
            Instant t = item.tick(backupAnchor, k);
            if (t.isAfter(to)) {
                return out;
            }
            if (t.isAfter(from)) {
                out.add(t);
            }
        }
    }

    private SnapshotRecord scheduledSnapshot(Instant at, List<Integer> items, String keyId, ObjectIds ids) {
        // The snapshot belongs to the item that keeps it longest (its frequency type names it).
        BackupPolicyItem longest = null;
        Instant expiresAt = null;
        List<String> itemIds = new ArrayList<>();
        for (int i : items) {
            BackupPolicyItem item = policy.get(i);
            Instant exp = item.expiry(at);
            if (expiresAt == null || exp.isAfter(expiresAt)
                    || (exp.equals(expiresAt) && item.frequency().compareTo(longest.frequency()) > 0)) {
                expiresAt = exp;
                longest = item;
            }
            itemIds.add(policyItemIds.get(i));
        }
        return newSnapshot(ids, at, expiresAt, keyId, "completed", "scheduled", longest.frequency().atlasName(), itemIds);
    }

    SnapshotRecord newSnapshot(ObjectIds ids, Instant createdAt, Instant expiresAt, String keyId, String status,
                               String snapshotType, String frequencyType, List<String> itemIds) {
        String snapshotId = ids.next(createdAt);
        List<SnapshotRecord.Member> members = new ArrayList<>();
        if (sharded()) {
            for (int i = 0; i < replicationSpecIds.size(); i++) {
                members.add(new SnapshotRecord.Member(ids.next(createdAt), name + "-shard-" + i));
            }
            members.add(new SnapshotRecord.Member(ids.next(createdAt), name + "-config-0"));
        }
        long size = 512L * 1024 * 1024 * Math.max(1, replicationSpecIds.size());
        return new SnapshotRecord(snapshotId, name, snapshotKind(), createdAt, expiresAt,
                "AWS".equals(encryptionAtRestProvider) ? keyId : null,
                status, snapshotType, frequencyType, itemIds, members, mongoDBVersion, size);
    }

    /** Live snapshots, newest first (as Atlas lists them), those of series made only when read. */
    SnapshotView liveSnapshots(Instant now) {
        return liveSnapshots(now, null);
    }

    /** Live snapshots of one kind (null: both), newest first. */
    SnapshotView liveSnapshots(Instant now, SnapshotRecord.Kind kind) {
        List<SnapshotRecord> stored = new ArrayList<>();
        for (SnapshotRecord s : snapshots) {
            if (s.aliveAt(now) && (kind == null || s.kind() == kind)) {
                stored.add(s);
            }
        }
        stored.sort(Comparator.comparing(SnapshotRecord::createdAt).reversed().thenComparing(SnapshotRecord::id, Comparator.reverseOrder()));
        List<Series> ofKind = new ArrayList<>();
        for (Series s : series) {
            if (kind == null || s.kind() == kind) {
                ofKind.add(s);
            }
        }
        return new SnapshotView(stored, ofKind, now);
    }

    /** Whether any snapshot is still listed at {@code now}. */
    boolean hasLiveSnapshots(Instant now) {
        for (SnapshotRecord s : snapshots) {
            if (s.aliveAt(now)) {
                return true;
            }
        }
        for (Series s : series) {
            if (s.hasAlive(now)) {
                return true;
            }
        }
        return false;
    }

    /** The next scheduled snapshot after {@code now}, or null without backup. */
    Instant nextSnapshot(Instant now) {
        if (!backupEnabled || deleted) {
            return null;
        }
        Instant next = null;
        for (BackupPolicyItem item : policy) {
            List<Instant> t = ticks(item, now, nextTickBound(item, now));
            if (!t.isEmpty() && (next == null || t.get(0).isBefore(next))) {
                next = t.get(0);
            }
        }
        return next;
    }

    private static Instant nextTickBound(BackupPolicyItem item, Instant now) {
        Duration period = item.fixedPeriod();
        return now.plus(period != null ? period : Duration.ofDays(400));
    }

    ClusterView view(Instant now) {
        Instant until = updatingUntil != null && now.isBefore(updatingUntil) ? updatingUntil : null;
        return new ClusterView(id, name, clusterType, stateAt(now), encryptionAtRestProvider, backupEnabled, pitEnabled,
                pitEnabled ? restoreWindowDays : null, until);
    }
}
