package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.kms.KeyIds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one cluster's snapshots say about keys, without the snapshots: for every key their
 * {@code masterKeyUUID}s name (and for the snapshots that name none readable), how many there are, how
 * many never expire, the latest expiry, and the first few ids, all of it also counted inside each
 * candidate key's possible active {@link Span}. That is everything {@link RetirementPolicy} reads, and it
 * does not grow with the number of snapshots, only with the number of keys they name.
 *
 * <p>Built while the snapshots stream by ({@link Builder}, fed page by page in any order: each snapshot
 * comes with its position in Atlas's listing, and "the first ids" are those of the first positions, so
 * the result does not depend on which page arrived first), for the spans asked for before the read; or
 * from a list ({@link #of(List)}), which answers any span.
 */
public final class SnapshotSummary {

    /** At most this many snapshot ids are kept per count (those of the first positions). */
    static final int MAX_IDS = RetirementReason.MAX_SNAPSHOT_IDS;
    /** At most this many ids are kept per key for anomalies (snapshots naming a key nobody knows). */
    static final int MAX_ANOMALY_IDS = RetirementDecision.MAX_ANOMALIES;
    /**
     * At most this many different keys are counted per cluster; snapshots naming more keys than that are
     * not told apart, and the policy keeps every key ({@link #tooManyKeys()}).
     */
    static final int MAX_KEYS = 1000;

    /**
     * When a candidate key may have been active: not before it was created, not after it was retired;
     * an unknown end is open. A snapshot whose key is unknown counts against the candidate when it was
     * taken inside this span.
     */
    public record Span(Instant keyCreatedAt, Instant retiredAt) {

        /** Whether a snapshot taken at {@code taken} (not null) was taken while the key may have been active. */
        boolean contains(Instant taken) {
            boolean beforeKeyExisted = keyCreatedAt != null && taken.isBefore(keyCreatedAt);
            boolean afterRetirement = retiredAt != null && taken.isAfter(retiredAt);
            return !beforeKeyExisted && !afterRetirement;
        }
    }

    /** An id kept for the operator, with its position in the cluster's listing. */
    record Entry(long position, String id) {
    }

    /** The first {@code limit} (by position) of some snapshots, and how many there were. */
    static final class Firsts {
        private final int limit;
        private int count;
        private final List<Entry> entries = new ArrayList<>(0);

        Firsts(int limit) {
            this.limit = limit;
        }

        void offer(long position, String id) {
            count++;
            if (entries.size() == limit && position >= entries.get(limit - 1).position()) {
                return;
            }
            int at = entries.size();
            while (at > 0 && entries.get(at - 1).position() > position) {
                at--;
            }
            entries.add(at, new Entry(position, id));
            if (entries.size() > limit) {
                entries.remove(limit);
            }
        }

        void addAll(Firsts other) {
            count += other.count - other.entries.size();
            for (Entry e : other.entries) {
                offer(e.position(), e.id());
            }
        }

        int count() {
            return count;
        }

        List<Entry> entries() {
            return Collections.unmodifiableList(entries);
        }

        List<String> ids() {
            return entries.stream().map(Entry::id).toList();
        }
    }

    /** Counts snapshots: by kind, with and without expiry, the latest expiry, and the first ids of each. */
    static final class Tally {
        private int count;
        private int replicaSet;
        private int sharded;
        private int withExpiry;
        private Instant latestExpiry;
        private final Firsts withExpiryIds = new Firsts(MAX_IDS);
        private final Firsts withoutExpiry = new Firsts(MAX_IDS);

        void add(long position, Snapshot snapshot) {
            count++;
            if (snapshot.kind() == Snapshot.Kind.SHARDED_CLUSTER) {
                sharded++;
            } else {
                replicaSet++;
            }
            String id = String.valueOf(snapshot.id());
            if (snapshot.expiresAt() == null) {
                withoutExpiry.offer(position, id);
                return;
            }
            withExpiry++;
            withExpiryIds.offer(position, id);
            if (latestExpiry == null || snapshot.expiresAt().isAfter(latestExpiry)) {
                latestExpiry = snapshot.expiresAt();
            }
        }

        void addAll(Tally other) {
            count += other.count;
            replicaSet += other.replicaSet;
            sharded += other.sharded;
            withExpiry += other.withExpiry;
            if (other.latestExpiry != null && (latestExpiry == null || other.latestExpiry.isAfter(latestExpiry))) {
                latestExpiry = other.latestExpiry;
            }
            withExpiryIds.addAll(other.withExpiryIds);
            withoutExpiry.addAll(other.withoutExpiry);
        }

        int count() {
            return count;
        }

        int replicaSet() {
            return replicaSet;
        }

        int sharded() {
            return sharded;
        }

        /** Snapshots that expire. */
        int withExpiry() {
            return withExpiry;
        }

        /** The latest expiry among them; null when none expires. */
        Instant latestExpiry() {
            return latestExpiry;
        }

        /** The first ids of those that expire. */
        List<String> withExpiryIds() {
            return withExpiryIds.ids();
        }

        /** Those that never expire: how many, and the first ids. */
        Firsts withoutExpiry() {
            return withoutExpiry;
        }
    }

    /**
     * The snapshots that name one key, or that name none readable ({@link #keyId()} null).
     */
    static final class KeyGroup {
        private final String keyId;
        private final Tally all = new Tally();
        private final Firsts timeUnknown = new Firsts(MAX_IDS);
        private final Firsts anomalies = new Firsts(MAX_ANOMALY_IDS);
        private final Map<Span, Tally> inSpan = new LinkedHashMap<>();

        KeyGroup(String keyId, Collection<Span> spans) {
            this.keyId = keyId;
            spans.forEach(s -> inSpan.put(s, new Tally()));
        }

        void add(long position, Snapshot snapshot) {
            all.add(position, snapshot);
            if (keyId != null) {
                anomalies.offer(position, String.valueOf(snapshot.id()));
            }
            Instant taken = snapshot.createdAt();
            if (taken == null) {
                timeUnknown.offer(position, String.valueOf(snapshot.id()));
                return;
            }
            for (Map.Entry<Span, Tally> e : inSpan.entrySet()) {
                if (e.getKey().contains(taken)) {
                    e.getValue().add(position, snapshot);
                }
            }
        }

        /** The key's id; null for the snapshots whose masterKeyUUID is missing or no key reference. */
        String keyId() {
            return keyId;
        }

        /** Every snapshot of the group. */
        Tally all() {
            return all;
        }

        /** Those without {@code createdAt}. */
        Firsts timeUnknown() {
            return timeUnknown;
        }

        /** The first snapshots of the group, for anomaly reports. */
        Firsts anomalies() {
            return anomalies;
        }

        /** Those taken inside the span (with a {@code createdAt}). */
        Tally inSpan(Span span) {
            Tally t = inSpan.get(span);
            if (t == null) {
                throw new IllegalStateException("The backup survey was not asked about the span " + span
                        + ": a decision cannot be made on snapshots it did not count for it.");
            }
            return t;
        }
    }

    private final long listed;
    private final Map<String, KeyGroup> groups;
    private final KeyGroup unreadable;
    private final boolean tooManyKeys;
    /** For a summary of a list: the list, folded again for each span asked. */
    private final List<Snapshot> source;
    private final Map<Span, SnapshotSummary> bySpan;

    private SnapshotSummary(long listed, Map<String, KeyGroup> groups, KeyGroup unreadable, boolean tooManyKeys,
                            List<Snapshot> source) {
        this.listed = listed;
        this.groups = groups;
        this.unreadable = unreadable;
        this.tooManyKeys = tooManyKeys;
        this.source = source;
        this.bySpan = source == null ? null : new ConcurrentHashMap<>();
    }

    /** No snapshot at all. */
    public static SnapshotSummary none() {
        return of(List.of());
    }

    /** The summary of a whole list (positions: the list's order); it answers any span. */
    public static SnapshotSummary of(List<Snapshot> snapshots) {
        List<Snapshot> copy = List.copyOf(snapshots);
        SnapshotSummary plain = fold(copy, Set.of());
        return new SnapshotSummary(plain.listed, plain.groups, plain.unreadable, plain.tooManyKeys, copy);
    }

    private static SnapshotSummary fold(List<Snapshot> snapshots, Set<Span> spans) {
        Builder b = new Builder(spans);
        for (int i = 0; i < snapshots.size(); i++) {
            b.add(i, snapshots.get(i));
        }
        return b.build();
    }

    /** Snapshots listed in all. */
    public long listed() {
        return listed;
    }

    /** The cluster's snapshots named more than {@link #MAX_KEYS} different keys: they were not all told apart. */
    public boolean tooManyKeys() {
        return tooManyKeys;
    }

    /** The summary that counts inside {@code span} (this one when it already does). */
    SnapshotSummary forSpan(Span span) {
        if (source == null) {
            return this;
        }
        return bySpan.computeIfAbsent(span, s -> fold(source, Set.of(s)));
    }

    /** The snapshots that name this key id (normalised), or null when none does. */
    KeyGroup group(String keyId) {
        return groups.get(keyId);
    }

    /** The groups of every key named, in the order first seen. */
    Collection<KeyGroup> keyGroups() {
        return groups.values();
    }

    /** The snapshots whose masterKeyUUID is missing or no key reference; null when there are none. */
    KeyGroup unreadable() {
        return unreadable;
    }

    /** The key id a masterKeyUUID names, or null when it is missing or no key reference. */
    static String keyIdOrNull(String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        try {
            return KeyIds.keyId(reference);
        } catch (IllegalArgumentException notAKeyReference) {
            return null;
        }
    }

    /**
     * Folds snapshots as they stream by, page by page and in any order, each with its position in the
     * cluster's listing. Thread-safe: pages may arrive at once.
     */
    public static final class Builder {
        private final Set<Span> spans;
        private long listed;
        private final Map<String, KeyGroup> groups = new LinkedHashMap<>();
        private KeyGroup unreadable;
        private boolean tooManyKeys;
        /** masterKeyUUID -> key id ("" for none readable): snapshots name few keys, each written alike. */
        private final Map<String, String> keyIds = new java.util.HashMap<>();

        /** @param spans the candidate keys' spans to count unknown-key snapshots in */
        public Builder(Collection<Span> spans) {
            this.spans = Collections.unmodifiableSet(new LinkedHashSet<>(spans));
        }

        public synchronized void add(long position, Snapshot snapshot) {
            listed++;
            String keyId = keyId(snapshot.masterKeyUUID());
            KeyGroup group;
            if (keyId == null) {
                if (unreadable == null) {
                    unreadable = new KeyGroup(null, spans);
                }
                group = unreadable;
            } else {
                group = groups.get(keyId);
                if (group == null) {
                    if (groups.size() >= MAX_KEYS) {
                        tooManyKeys = true;
                        return;
                    }
                    group = new KeyGroup(keyId, spans);
                    groups.put(keyId, group);
                }
            }
            group.add(position, snapshot);
        }

        private String keyId(String reference) {
            if (reference == null) {
                return null;
            }
            String known = keyIds.get(reference);
            if (known == null) {
                String id = keyIdOrNull(reference);
                known = id == null ? "" : id;
                if (keyIds.size() < 4 * MAX_KEYS) {
                    keyIds.put(reference, known);
                }
            }
            return known.isEmpty() ? null : known;
        }

        /** A page: its snapshots at positions {@code first}, {@code first + 1}, ... */
        public synchronized void addAll(long first, List<Snapshot> page) {
            for (int i = 0; i < page.size(); i++) {
                add(first + i, page.get(i));
            }
        }

        public synchronized SnapshotSummary build() {
            return new SnapshotSummary(listed, Collections.unmodifiableMap(new LinkedHashMap<>(groups)), unreadable,
                    tooManyKeys, null);
        }
    }
}
