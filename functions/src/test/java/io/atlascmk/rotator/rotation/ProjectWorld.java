package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.trail.KeyUse;
import io.atlascmk.rotator.trail.UsageEvidence;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A generated Atlas project with its whole key history, built forward in time so that it carries its
 * own ground truth: which key really was active when, and which key each snapshot is really encrypted
 * with, even when Atlas reports no {@code masterKeyUUID}. The properties check the policy against this
 * truth, not against a second copy of the policy.
 *
 * <p>History: keys 0..K-1 were Atlas's key one after the other; key K-1 is the current one. An
 * abandoned key may have been active for a few hours in the middle of another key's time (a switch
 * that was rolled back), or never at all (Atlas refused it). Snapshots are generated only as Atlas
 * would still list them: short-retention ones from the last days, long-retention ones from the last
 * years, some past their expiry but not yet removed, some that never expire. Each one's key is the
 * key active when it was taken, written as an id, an ARN (possibly of another Region for multi-Region
 * keys) or an upper-case id; or missing; or, rarely, a stray reference to any key (whatever the
 * timeline says, a snapshot that names a key holds that key). A snapshot whose key Atlas does not
 * report holds the key that was active when it was taken: Atlas encrypts with the project's key of
 * the moment, and that is the one assumption the policy's unknown-key rule rests on.
 */
record ProjectWorld(
        Spec spec,
        List<GenKey> keys,
        int candidate,
        ManagedKey candidateKey,
        String atlasReference,
        int atlasKey,
        List<GenCluster> clusters,
        Instant now) {

    static final Instant NOW = Fixtures.NOW;
    static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2"};

    enum CandidateKind {
        /** A key that was Atlas's key earlier and was retired by a rotation. */
        RETIRED,
        /** A key Atlas used for a few hours before a rollback. */
        ABANDONED_AFTER_USE,
        /** A key Atlas refused: never active. */
        ABANDONED_NEVER_ACTIVE,
        /** Atlas's current key, but its tags say retired (a crash between PATCH-back and re-tag). */
        CURRENT_TAGGED_RETIRED,
        /** A retired key of another project. */
        OTHER_PROJECT,
        /** A key without any ledger tags. */
        UNTAGGED,
        /** A key of ours whose state is active, pending, deletion-scheduled or missing. */
        OURS_NOT_RETIRED
    }

    /** The knobs jqwik draws; everything else follows from {@code seed}. */
    record Spec(
            int keyCount,
            boolean multiRegion,
            CandidateKind candidateKind,
            boolean retiredAtTagMissing,
            int historyDays,
            List<ClusterSpec> clusters,
            Rates rates,
            boolean mixedSpellings,
            Adversity adversity,
            long seed) {
    }

    /**
     * The hostile parts of a world, each absent from many worlds so that clean ones occur too.
     *
     * @param minRetirementDays the project's minimum retirement age
     * @param forgottenKeys     how many of the oldest timeline keys the ledger no longer knows (destroyed
     *                          long ago, or used before the project was adopted): snapshots naming them
     *                          name a key nobody knows
     * @param foreignRate       share of snapshots whose masterKeyUUID is a well-formed id of no key of the
     *                          project (another project's key, a key made by hand); their true key is the
     *                          one active when they were taken
     * @param noCreatedAtRate   share of snapshots without createdAt
     */
    record Adversity(int minRetirementDays, int forgottenKeys, double foreignRate, double noCreatedAtRate,
                     Integer useDaysAgo, boolean trailUnreadable, Sharing sharing) {
    }

    /** Whether the candidate was adopted (not created) by the rotator, and who else really needs it. */
    enum Sharing {
        CREATED,
        ADOPTED_ALONE,
        /** Another project of the deployment uses it as its key. */
        ADOPTED_SHARED_WITH_PROJECT,
        /** A grant lets another principal use it. */
        ADOPTED_GRANTED,
        /** The key policy lets another account's role use it. */
        ADOPTED_IN_OTHERS_POLICY;

        boolean adopted() {
            return this != CREATED;
        }

        boolean sharedInTruth() {
            return this == ADOPTED_SHARED_WITH_PROJECT || this == ADOPTED_GRANTED || this == ADOPTED_IN_OTHERS_POLICY;
        }
    }

    /** Who used the candidate key, when: something nobody told the rotator about (a restore, a script). */
    static final String SECRET_USER = "arn:aws:iam::111122223333:role/nightly-restore-check";

    /**
     * @param keysUnreported Atlas reports no masterKeyUUID for any snapshot of this cluster
     */
    record ClusterSpec(Snapshot.Kind kind, boolean terminated, boolean pitEnabled, Integer restoreWindowDays,
                       int snapshots, int shortRetentionDays, boolean keysUnreported, Quirk quirk) {
    }

    /** What Atlas may fail to say about a live cluster, or a state that keeps old data under an old key. */
    enum Quirk {
        NONE,
        /** Paused (AWS-encrypted): its data is still under the key it had when it paused. */
        PAUSED,
        /** Atlas sent no {@code paused}. */
        PAUSED_UNKNOWN,
        /** Atlas sent no {@code pitEnabled}. */
        PIT_UNKNOWN
    }

    /** Per-snapshot probabilities, each 0 in many worlds so that clean worlds occur too. */
    record Rates(double unknownKey, double noExpiry, double longRetention, double lingering, double stray) {
    }

    record Segment(Instant from, Instant to) {
    }

    /** A generated key and its true history. */
    record GenKey(String id, String region, Instant createdAt, List<Segment> segments) {
        /** End of its last active span; null when it was never active. */
        Instant trueRetiredAt() {
            return segments.stream().map(Segment::to).max(Instant::compareTo).orElse(null);
        }
    }

    /**
     * A listed snapshot with its truth.
     *
     * @param trueKey    index of the key it is really encrypted with
     * @param writtenKey index of the key its masterKeyUUID names, or -1 when Atlas gave none or garbage
     */
    record GenSnapshot(Snapshot snapshot, int trueKey, int writtenKey) {
        /** Its masterKeyUUID is a well-formed id of no key of the project. */
        boolean foreign() {
            return writtenKey == FOREIGN;
        }
    }

    /** {@link GenSnapshot#writtenKey()} of a snapshot naming a key that is no key of the project. */
    static final int FOREIGN = -2;

    record GenCluster(ClusterSpec spec, String name, List<GenSnapshot> snapshots) {
        ClusterBackups backups() {
            List<Snapshot> list = snapshots.stream().map(GenSnapshot::snapshot).toList();
            if (spec.terminated()) {
                return ClusterBackups.terminated(name, list);
            }
            Boolean pit = spec.quirk() == Quirk.PIT_UNKNOWN ? null : spec.pitEnabled();
            Boolean paused = switch (spec.quirk()) {
                case PAUSED -> true;
                case PAUSED_UNKNOWN -> null;
                default -> false;
            };
            return new ClusterBackups(name, false, pit, spec.restoreWindowDays(), paused, list);
        }
    }

    RetirementInput input() {
        RetirementInput input = RetirementInput.of(candidateKey, Fixtures.PROJECT, atlasKms(),
                clusters.stream().map(GenCluster::backups).toList(), ledgerKeyIds(), minRetirement(), now)
                .withUsage(usageEvidence());
        return spec.adversity().sharing().adopted() ? input.withAdoption(adoptionEvidence()) : input;
    }

    /** What the audit would find about the adopted candidate's other users (the truth, as Atlas and KMS show it). */
    AdoptionEvidence adoptionEvidence() {
        List<String> none = List.of();
        return switch (spec.adversity().sharing()) {
            case ADOPTED_SHARED_WITH_PROJECT -> new AdoptionEvidence(false, List.of(Fixtures.OTHER_PROJECT), none, none, none, null);
            case ADOPTED_GRANTED -> new AdoptionEvidence(false, none, none, List.of("arn:aws:iam::111122223333:role/etl [Decrypt]"), none, null);
            case ADOPTED_IN_OTHERS_POLICY -> new AdoptionEvidence(false, none, none, none,
                    List.of("arn:aws:iam::444455556666:role/staging-atlas"), null);
            default -> new AdoptionEvidence(false, none, none, none, none, null);
        };
    }

    /** The candidate's true use after its retirement, if any. */
    KeyUse trueUse() {
        Integer days = spec.adversity().useDaysAgo();
        return days == null ? null : new KeyUse("Decrypt", SECRET_USER, NOW.minus(Duration.ofDays(days)), null);
    }

    /**
     * What CloudTrail would say, as the audit asks it: from the key's retired-at tag (none asked without
     * one), over at most the last 90 days.
     */
    UsageEvidence usageEvidence() {
        Instant retiredAt = RetirementInput.retiredAtTag(candidateKey);
        if (retiredAt == null) {
            return null;
        }
        if (spec.adversity().trailUnreadable()) {
            return UsageEvidence.unavailable(retiredAt, "AccessDeniedException", 1);
        }
        Instant checkedFrom = retiredAt.isBefore(now.minus(Duration.ofDays(90))) ? now.minus(Duration.ofDays(90)) : retiredAt;
        KeyUse use = trueUse();
        List<KeyUse> seen = use != null && !use.at().isBefore(checkedFrom) && !use.at().isAfter(now) ? List.of(use) : List.of();
        return UsageEvidence.checked(retiredAt, checkedFrom, now, seen, 1);
    }

    Duration minRetirement() {
        return Duration.ofDays(spec.adversity().minRetirementDays());
    }

    /** The keys the project's ledger knows: every key of the timeline but the forgotten oldest ones. */
    Set<String> ledgerKeyIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            if (i >= spec.adversity().forgottenKeys() || i == candidate) {
                ids.add(keys.get(i).id());
            }
        }
        return ids;
    }

    AwsKms atlasKms() {
        return Fixtures.atlasNames(atlasReference);
    }

    GenKey candidateTruth() {
        return keys.get(candidate);
    }

    List<GenSnapshot> allSnapshots() {
        return clusters.stream().flatMap(c -> c.snapshots().stream()).toList();
    }

    int totalSnapshots() {
        return clusters.stream().mapToInt(c -> c.snapshots().size()).sum();
    }

    // ------------------------------------------------------------------ generation

    static Arbitrary<ProjectWorld> worlds() {
        Arbitrary<CandidateKind> kinds = Arbitraries.frequency(
                Tuple.of(40, CandidateKind.RETIRED),
                Tuple.of(10, CandidateKind.ABANDONED_AFTER_USE),
                Tuple.of(8, CandidateKind.ABANDONED_NEVER_ACTIVE),
                Tuple.of(9, CandidateKind.CURRENT_TAGGED_RETIRED),
                Tuple.of(7, CandidateKind.OTHER_PROJECT),
                Tuple.of(7, CandidateKind.UNTAGGED),
                Tuple.of(9, CandidateKind.OURS_NOT_RETIRED));
        Arbitrary<Spec> specs = Combinators.combine(
                Arbitraries.integers().between(2, 6),
                Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)),
                kinds,
                Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)),
                Arbitraries.integers().between(60, 1500),
                clusterSpecs().list().ofMinSize(1).ofMaxSize(4),
                rates(),
                Arbitraries.frequency(Tuple.of(1, false), Tuple.of(3, true))
        ).flatAs((keyCount, mrk, kind, noRetiredAt, history, clusters, rates, mixed) ->
                Combinators.combine(adversities(), Arbitraries.longs()).as((adversity, seed) ->
                        new Spec(keyCount, mrk, kind, noRetiredAt, history, clusters, rates, mixed, adversity, seed)));
        return specs.map(ProjectWorld::build);
    }

    /**
     * The hostile knobs come from rolls of 0..999 mapped to shares, not from jqwik's frequencies: jqwik's edge
     * cases would otherwise pick the rare values (an unreadable trail, a shared key) in a large part of the
     * worlds and leave too few clean ones.
     */
    private static Arbitrary<Adversity> adversities() {
        Arbitrary<Integer> roll = Arbitraries.integers().between(0, 999).withoutEdgeCases();
        return Combinators.combine(roll, roll, roll, roll, roll, roll, roll).as((min, forgot, foreign, noTime, use, trail, share) ->
                new Adversity(
                        min < 600 ? 7 : min < 800 ? 14 : 30,
                        forgot < 700 ? 0 : forgot < 850 ? 1 : 2,
                        foreign < 650 ? 0.0 : foreign < 800 ? 0.003 : 0.02,
                        noTime < 750 ? 0.0 : 0.005,
                        use < 650 ? null : 1 + (use - 650) * 30 / 350,
                        trail >= 930,
                        share < 630 ? Sharing.CREATED : share < 840 ? Sharing.ADOPTED_ALONE
                                : share < 890 ? Sharing.ADOPTED_SHARED_WITH_PROJECT
                                : share < 940 ? Sharing.ADOPTED_GRANTED : Sharing.ADOPTED_IN_OTHERS_POLICY));
    }

    private static Arbitrary<ClusterSpec> clusterSpecs() {
        Arbitrary<Snapshot.Kind> kind = Arbitraries.of(Snapshot.Kind.class);
        Arbitrary<Boolean> terminated = Arbitraries.frequency(Tuple.of(5, false), Tuple.of(1, true));
        Arbitrary<Boolean> pit = Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true));
        Arbitrary<Integer> window = Arbitraries.frequencyOf(
                Tuple.of(19, Arbitraries.integers().between(1, 35)),
                Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(0, 5)),
                Tuple.of(6, Arbitraries.integers().between(100, 700)));
        Arbitrary<Integer> shortRetention = Arbitraries.of(2, 7, 14, 30, 35);
        Arbitrary<Boolean> keysUnreported = Arbitraries.frequency(Tuple.of(6, false), Tuple.of(1, true));
        Arbitrary<Quirk> quirk = Arbitraries.frequency(Tuple.of(40, Quirk.NONE), Tuple.of(1, Quirk.PAUSED),
                Tuple.of(1, Quirk.PAUSED_UNKNOWN), Tuple.of(1, Quirk.PIT_UNKNOWN));
        return Combinators.combine(kind, terminated, pit, window, count, shortRetention, keysUnreported, quirk)
                .as((k, t, p, w, n, r, u, q) -> new ClusterSpec(k, t, !t && p, w, n, r, u, t ? Quirk.NONE : q));
    }

    private static Arbitrary<Rates> rates() {
        return Combinators.combine(
                Arbitraries.frequency(Tuple.of(5, 0.0), Tuple.of(2, 0.002), Tuple.of(2, 0.01), Tuple.of(1, 0.03)),
                Arbitraries.frequency(Tuple.of(6, 0.0), Tuple.of(2, 0.002), Tuple.of(2, 0.01)),
                Arbitraries.frequency(Tuple.of(3, 0.0), Tuple.of(3, 0.01), Tuple.of(3, 0.05), Tuple.of(1, 0.15)),
                Arbitraries.frequency(Tuple.of(7, 0.0), Tuple.of(3, 0.01)),
                Arbitraries.frequency(Tuple.of(8, 0.0), Tuple.of(2, 0.003))
        ).as(Rates::new);
    }

    static ProjectWorld build(Spec spec) {
        Random random = new Random(spec.seed());
        Instant start = NOW.minus(Duration.ofDays(spec.historyDays()));

        // Activation times of the timeline keys, oldest first; the last key is Atlas's key now.
        List<Instant> activations = new ArrayList<>();
        activations.add(start);
        for (int i = 1; i < spec.keyCount(); i++) {
            activations.add(between(random, start.plus(Duration.ofHours(1)), NOW.minus(Duration.ofHours(1))));
        }
        Collections.sort(activations);

        Set<String> usedIds = new HashSet<>();
        List<GenKey> keys = new ArrayList<>();
        for (int i = 0; i < spec.keyCount(); i++) {
            Instant from = activations.get(i);
            Instant to = i + 1 < spec.keyCount() ? activations.get(i + 1) : NOW;
            List<Segment> segments = new ArrayList<>();
            segments.add(new Segment(from, to));
            keys.add(new GenKey(newKeyId(random, spec.multiRegion(), usedIds), REGIONS[random.nextInt(REGIONS.length)],
                    from.minus(Duration.ofMinutes(1 + random.nextInt(2 * 24 * 60))), segments));
        }
        int current = spec.keyCount() - 1;
        int retiredPick = random.nextInt(spec.keyCount() - 1);

        int candidate;
        switch (spec.candidateKind()) {
            case ABANDONED_AFTER_USE -> {
                // Atlas used the new key for a few hours inside another key's time, then went back.
                // The host goes on being Atlas's key afterwards, so the short span ends before the host's.
                int host = random.nextInt(spec.keyCount());
                if (Duration.between(keys.get(host).segments().get(0).from(), keys.get(host).segments().get(0).to())
                        .compareTo(Duration.ofMinutes(2)) < 0) {
                    host = current; // the current key has been active for at least an hour
                }
                Segment hostSegment = keys.get(host).segments().get(0);
                Instant lastEnd = hostSegment.to().minus(Duration.ofMinutes(1));
                Instant s = between(random, hostSegment.from(), lastEnd.minus(Duration.ofMinutes(1)));
                Instant e = min(s.plus(Duration.ofMinutes(1 + random.nextInt(72 * 60))), lastEnd);
                List<Segment> hostSegments = keys.get(host).segments();
                hostSegments.clear();
                hostSegments.add(new Segment(hostSegment.from(), s));
                hostSegments.add(new Segment(e, hostSegment.to()));
                keys.add(new GenKey(newKeyId(random, spec.multiRegion(), usedIds), REGIONS[0],
                        s.minus(Duration.ofMinutes(5)), new ArrayList<>(List.of(new Segment(s, e)))));
                candidate = keys.size() - 1;
            }
            case ABANDONED_NEVER_ACTIVE -> {
                Instant created = between(random, start, NOW.minus(Duration.ofHours(2)));
                keys.add(new GenKey(newKeyId(random, spec.multiRegion(), usedIds), REGIONS[0], created, new ArrayList<>()));
                candidate = keys.size() - 1;
            }
            case CURRENT_TAGGED_RETIRED -> candidate = current;
            default -> candidate = retiredPick;
        }

        GenKey truth = keys.get(candidate);
        ManagedKey candidateKey = new ManagedKey(truth.id(), Fixtures.arn(truth.region(), truth.id()), truth.region(),
                "Enabled", truth.id().startsWith("mrk-"), truth.createdAt(), null,
                candidateTags(spec, truth, random));

        List<GenCluster> clusters = new ArrayList<>();
        for (int c = 0; c < spec.clusters().size(); c++) {
            clusters.add(buildCluster(spec, c, keys, start, random));
        }
        String atlasReference = spell(keys.get(current), random, spec.mixedSpellings());
        return new ProjectWorld(spec, List.copyOf(keys), candidate, candidateKey, atlasReference, current,
                List.copyOf(clusters), NOW);
    }

    private static Map<String, String> candidateTags(Spec spec, GenKey truth, Random random) {
        Map<String, String> tags = new HashMap<>();
        if (spec.candidateKind() == CandidateKind.UNTAGGED) {
            return tags;
        }
        tags.put(KeyTags.PROJECT, spec.candidateKind() == CandidateKind.OTHER_PROJECT ? Fixtures.OTHER_PROJECT : Fixtures.PROJECT);
        tags.put(KeyTags.DEPLOYMENT, io.atlascmk.rotator.kms.FakeKmsClient.DEPLOYMENT);
        if (spec.adversity().sharing().adopted()) {
            tags.put(KeyTags.ADOPTED_BY, "rotation-" + Long.toHexString(spec.seed()));
        } else {
            tags.put(KeyTags.ROTATION, "rotation-" + Long.toHexString(spec.seed()));
        }
        KeyState state = switch (spec.candidateKind()) {
            case ABANDONED_AFTER_USE, ABANDONED_NEVER_ACTIVE -> KeyState.ABANDONED;
            case OURS_NOT_RETIRED -> new KeyState[]{KeyState.ACTIVE, KeyState.PENDING, KeyState.DELETION_SCHEDULED, null}[random.nextInt(4)];
            default -> KeyState.RETIRED;
        };
        if (state != null) {
            tags.put(KeyTags.STATE, state.tagValue());
        }
        Instant retiredAt = switch (spec.candidateKind()) {
            // The ledger says retired some time ago; Atlas was switched back to it since.
            case CURRENT_TAGGED_RETIRED -> NOW.minus(Duration.ofDays(1 + random.nextInt(60)));
            case ABANDONED_NEVER_ACTIVE -> truth.createdAt().plus(Duration.ofHours(1));
            default -> truth.trueRetiredAt();
        };
        if (!spec.retiredAtTagMissing() && retiredAt != null) {
            tags.put(KeyTags.RETIRED_AT, retiredAt.toString());
        }
        return tags;
    }

    private static GenCluster buildCluster(Spec spec, int index, List<GenKey> keys, Instant start, Random random) {
        ClusterSpec cs = spec.clusters().get(index);
        String name = (cs.terminated() ? "gone-" : cs.kind() == Snapshot.Kind.SHARDED_CLUSTER ? "shards-" : "rs-") + index;
        Instant end = cs.terminated() ? between(random, start, NOW) : NOW;
        Rates rates = spec.rates();
        List<GenSnapshot> snapshots = new ArrayList<>();
        for (int j = 0; j < cs.snapshots(); j++) {
            double roll = random.nextDouble();
            Instant created;
            Instant expires;
            if (roll < rates.noExpiry()) {
                created = between(random, start, end);
                expires = null;
            } else if (roll < rates.noExpiry() + rates.lingering()) {
                created = between(random, start, end);
                expires = between(random, created, NOW);
            } else if (cs.terminated() || roll < rates.noExpiry() + rates.lingering() + rates.longRetention()) {
                Duration retention = Duration.ofDays(new int[]{365, 730, 1825}[random.nextInt(3)]);
                Instant earliest = max(start, NOW.minus(retention));
                if (earliest.isAfter(end)) {
                    continue; // a terminated cluster's snapshots from that long ago are gone
                }
                created = between(random, earliest, end);
                expires = created.plus(retention);
            } else {
                Duration retention = Duration.ofDays(cs.shortRetentionDays());
                created = between(random, max(start, NOW.minus(retention)), NOW);
                expires = created.plus(retention);
            }
            int trueKey = activeAt(keys, created);
            String written;
            int writtenKey;
            Adversity adversity = spec.adversity();
            if (random.nextDouble() < adversity.foreignRate()) {
                // A well-formed id of no key of the project; the snapshot is really under the key of the moment.
                written = newKeyId(random, spec.multiRegion() && random.nextBoolean(), new HashSet<>());
                writtenKey = FOREIGN;
            } else if (cs.keysUnreported() || random.nextDouble() < rates.unknownKey()) {
                // Atlas encrypts a snapshot with the project's key of the moment: that is the truth
                // the unknown-key rule relies on, so an unreported key is never a stray one.
                written = random.nextInt(4) == 0 ? "kmip-" + Long.toHexString(random.nextLong()) + "/x" : null;
                writtenKey = -1;
            } else {
                if (random.nextDouble() < rates.stray()) {
                    trueKey = random.nextInt(keys.size());
                }
                written = spell(keys.get(trueKey), random, spec.mixedSpellings());
                writtenKey = trueKey;
            }
            Instant reportedCreated = random.nextDouble() < spec.adversity().noCreatedAtRate() ? null : created;
            Snapshot snapshot = new Snapshot(name + "-s" + j, name, cs.kind(), written, reportedCreated, expires, "completed");
            snapshots.add(new GenSnapshot(snapshot, trueKey, writtenKey));
        }
        return new GenCluster(cs, name, List.copyOf(snapshots));
    }

    /** The same world with every key reference written anew and every cluster's snapshots shuffled. */
    ProjectWorld respelledAndShuffled(long seed) {
        Random random = new Random(seed);
        List<GenCluster> rewritten = new ArrayList<>();
        for (GenCluster cluster : clusters) {
            List<GenSnapshot> snapshots = new ArrayList<>();
            for (GenSnapshot g : cluster.snapshots()) {
                Snapshot s = g.snapshot();
                String written = g.writtenKey() < 0 ? s.masterKeyUUID() : spell(keys.get(g.writtenKey()), random, true);
                if (g.foreign() && random.nextBoolean()) {
                    written = written.toUpperCase(Locale.ROOT);
                }
                snapshots.add(new GenSnapshot(new Snapshot(s.id(), s.clusterName(), s.kind(), written, s.createdAt(),
                        s.expiresAt(), s.status()), g.trueKey(), g.writtenKey()));
            }
            Collections.shuffle(snapshots, random);
            rewritten.add(new GenCluster(cluster.spec(), cluster.name(), List.copyOf(snapshots)));
        }
        return new ProjectWorld(spec, keys, candidate, candidateKey, spell(keys.get(atlasKey), random, true), atlasKey,
                List.copyOf(rewritten), now);
    }

    /** The same world at a later instant, after Atlas removed every snapshot that expired by then. */
    ProjectWorld laterAfterExpiredSnapshotsRemoved(Instant later) {
        List<GenCluster> kept = clusters.stream().map(c -> new GenCluster(c.spec(), c.name(), c.snapshots().stream()
                .filter(g -> g.snapshot().expiresAt() == null || g.snapshot().expiresAt().isAfter(later))
                .toList())).toList();
        return new ProjectWorld(spec, keys, candidate, candidateKey, atlasReference, atlasKey, kept, later);
    }

    // ------------------------------------------------------------------ spelling and time helpers

    /** One of the ways Atlas may write a key: id, ARN, ARN of another Region (mrk only), upper-case id. */
    static String spell(GenKey key, Random random, boolean mixed) {
        if (!mixed) {
            return key.id();
        }
        return switch (random.nextInt(4)) {
            case 0 -> key.id();
            case 1 -> Fixtures.arn(key.region(), key.id());
            case 2 -> key.id().startsWith("mrk-")
                    ? Fixtures.arn(REGIONS[(indexOf(key.region()) + 1) % REGIONS.length], key.id())
                    : Fixtures.arn(key.region(), key.id());
            default -> key.id().toUpperCase(Locale.ROOT);
        };
    }

    static boolean isArn(String reference) {
        return reference != null && reference.startsWith("arn:");
    }

    private static int indexOf(String region) {
        for (int i = 0; i < REGIONS.length; i++) {
            if (REGIONS[i].equals(region)) {
                return i;
            }
        }
        return 0;
    }

    private static String newKeyId(Random random, boolean multiRegion, Set<String> used) {
        String id;
        do {
            id = multiRegion
                    ? String.format(Locale.ROOT, "mrk-%016x%016x", random.nextLong(), random.nextLong())
                    : String.format(Locale.ROOT, "%08x-%04x-4%03x-8%03x-%012x", random.nextInt(), random.nextInt(0x10000),
                    random.nextInt(0x1000), random.nextInt(0x1000), random.nextLong() & 0xffffffffffffL);
        } while (!used.add(id));
        return id;
    }

    /** Index of the key active at the instant (the timeline covers every instant since the start). */
    private static int activeAt(List<GenKey> keys, Instant t) {
        for (int i = 0; i < keys.size(); i++) {
            for (Segment s : keys.get(i).segments()) {
                if (!t.isBefore(s.from()) && t.isBefore(s.to())) {
                    return i;
                }
            }
        }
        // NOW itself (end-exclusive segments): the current key.
        for (int i = keys.size() - 1; i >= 0; i--) {
            for (Segment s : keys.get(i).segments()) {
                if (s.to().equals(t)) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no key active at " + t);
    }

    private static Instant between(Random random, Instant from, Instant to) {
        long span = Duration.between(from, to).getSeconds();
        return span <= 0 ? from : from.plusSeconds((long) (random.nextDouble() * span));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
