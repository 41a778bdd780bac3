package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.rotation.ProjectWorld.CandidateKind;
import io.atlascmk.rotator.rotation.ProjectWorld.GenCluster;
import io.atlascmk.rotator.rotation.ProjectWorld.GenSnapshot;
import io.atlascmk.rotator.rotation.RetirementDecision.Verdict;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static io.atlascmk.rotator.rotation.Fixtures.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Design §4 rules 1 and 2, checked over whole generated projects ({@link ProjectWorld}): several
 * clusters (replica set, sharded, terminated), hundreds of snapshots per cluster, keys written as ids,
 * ARNs and mrk- ids, snapshots without a key or an expiry, continuous-backup windows, and keys that
 * are not ours. Safety is checked against the world's ground truth (which key each snapshot really
 * holds, when each key really was active), not against a copy of the policy.
 */
class RetirementPolicyProperties {

    @Provide
    Arbitrary<ProjectWorld> worlds() {
        return ProjectWorld.worlds();
    }

    @Property(tries = 1000)
    void deletionIsNeverScheduledForAKeyInUseNotOursOrInsideARestoreWindow(@ForAll("worlds") ProjectWorld world) {
        RetirementDecision decision = RetirementPolicy.decide(world.input());
        collectCoverage(world, decision);
        if (!decision.scheduleDeletion()) {
            return;
        }
        ManagedKey key = world.candidateKey();
        assertThat(key.ownedBy(PROJECT)).as("scheduled a key of another project or none").isTrue();
        assertThat(key.state()).as("scheduled a key that is not retired or abandoned").isIn(KeyState.RETIRED, KeyState.ABANDONED);
        assertThat(world.atlasKey()).as("scheduled Atlas's current key").isNotEqualTo(world.candidate());
        assertThat(world.allSnapshots())
                .as("scheduled a key a listed snapshot is really encrypted with (named or not)")
                .noneMatch(g -> g.trueKey() == world.candidate());
        Instant trulyRetired = world.candidateTruth().trueRetiredAt();
        assertThat(decision.usageChecked()).as("scheduled without CloudTrail's evidence").isTrue();
        assertThat(decision.adoptedKeyChecked()).isTrue();
        assertThat(world.spec().adversity().sharing().sharedInTruth()).as("scheduled an adopted key someone else needs").isFalse();
        if (world.trueUse() != null) {
            assertThat(world.trueUse().at().plus(world.minRetirement())).as("scheduled a key used less than the minimum retirement ago")
                    .isBefore(world.now());
        }
        if (trulyRetired != null) {
            assertThat(trulyRetired.plus(world.minRetirement())).as("scheduled a key used less than the minimum retirement ago")
                    .isBefore(world.now());
        }
        for (GenCluster cluster : world.clusters()) {
            assertThat(cluster.spec().quirk()).as("scheduled while %s is paused or does not say what it is", cluster.name())
                    .isEqualTo(ProjectWorld.Quirk.NONE);
            if (cluster.spec().pitEnabled()) {
                assertThat(cluster.spec().restoreWindowDays()).as("scheduled with an unknown restore window").isNotNull();
                if (trulyRetired != null) {
                    assertThat(trulyRetired.plus(Duration.ofDays(cluster.spec().restoreWindowDays())))
                            .as("scheduled while %s can restore to a moment the key was active", cluster.name())
                            .isBefore(world.now());
                }
            }
        }
    }

    @Property(tries = 1000)
    void deletionIsScheduledExactlyWhenARetiredKeyOfOursIsNeededByNothing(@ForAll("worlds") ProjectWorld world) {
        RetirementDecision decision = RetirementPolicy.decide(world.input());
        ManagedKey key = world.candidateKey();
        Instant retiredAtTag = RetirementInput.retiredAtTag(key);

        boolean ours = key.ownedBy(PROJECT) && (key.state() == KeyState.RETIRED || key.state() == KeyState.ABANDONED);
        boolean atlasNamesIt = KeyIds.sameKey(world.atlasReference(), key.keyId());
        boolean aSnapshotNamesIt = world.allSnapshots().stream()
                .anyMatch(g -> KeyIds.sameKey(g.snapshot().masterKeyUUID(), key.keyId()));
        // A snapshot whose key is unreadable, or names a key the ledger does not know (forgotten or foreign).
        List<Snapshot> unaccounted = world.allSnapshots().stream().map(GenSnapshot::snapshot)
                .filter(sn -> !readable(sn.masterKeyUUID()) || !knownTo(world, sn.masterKeyUUID()))
                .toList();
        boolean anUnaccountedSnapshotWithoutTime = unaccounted.stream().anyMatch(sn -> sn.createdAt() == null);
        boolean anUnaccountedSnapshotMayHoldIt = unaccounted.stream()
                .map(Snapshot::createdAt)
                .filter(t -> t != null)
                .anyMatch(t -> !t.isBefore(key.createdAt()) && (retiredAtTag == null || !t.isAfter(retiredAtTag)));
        boolean aWindowMayCoverIt = world.clusters().stream()
                .filter(c -> c.spec().pitEnabled())
                .anyMatch(c -> c.spec().restoreWindowDays() == null || retiredAtTag == null
                        || !retiredAtTag.plus(Duration.ofDays(c.spec().restoreWindowDays())).isBefore(world.now()));
        boolean aClusterIsPausedOrSilent = world.clusters().stream().anyMatch(c -> c.spec().quirk() != ProjectWorld.Quirk.NONE);
        boolean retiredLongEnough = retiredAtTag != null && retiredAtTag.plus(world.minRetirement()).isBefore(world.now());
        // CloudTrail is asked from the retired-at tag: a use seen there keeps the key a minimum retirement longer.
        boolean trailClean = world.usageEvidence() != null && world.usageEvidence().available()
                && (world.usageEvidence().uses().isEmpty()
                || world.usageEvidence().lastUse().at().plus(world.minRetirement()).isBefore(world.now()));
        boolean sharedWithOthers = world.spec().adversity().sharing().sharedInTruth();
        boolean neededByNothing = ours && !atlasNamesIt && !aSnapshotNamesIt && !anUnaccountedSnapshotWithoutTime
                && !anUnaccountedSnapshotMayHoldIt && !aWindowMayCoverIt && !aClusterIsPausedOrSilent && retiredLongEnough
                && trailClean && !sharedWithOthers;

        Statistics.label("needed by nothing").collect(neededByNothing);
        Statistics.label("needed by nothing").coverage(c -> c.check(true).percentage(p -> p >= 15));
        assertThat(decision.scheduleDeletion()).as(decision.summary()).isEqualTo(neededByNothing);
    }

    @Property(tries = 1000)
    void deferredDeletionIsDatedNoEarlierThanAnySnapshotExpiryOrRestoreWindow(@ForAll("worlds") ProjectWorld world) {
        RetirementDecision decision = RetirementPolicy.decide(world.input());
        Statistics.label("deferred").collect(decision.verdict() == Verdict.DEFER);
        Statistics.label("deferred").coverage(c -> c.check(true).percentage(p -> p >= 20));
        if (decision.verdict() != Verdict.DEFER) {
            return;
        }
        Instant safeAfter = decision.safeAfter();
        String candidateId = world.candidateKey().keyId();
        for (GenSnapshot g : world.allSnapshots()) {
            if (g.trueKey() == world.candidate() || KeyIds.sameKey(g.snapshot().masterKeyUUID(), candidateId)) {
                assertThat(g.snapshot().expiresAt()).as("deferred although %s never expires", g.snapshot().id()).isNotNull();
                assertThat(safeAfter).as("safeAfter before %s expires", g.snapshot().id())
                        .isAfterOrEqualTo(g.snapshot().expiresAt());
            }
        }
        Instant retiredAtTag = RetirementInput.retiredAtTag(world.candidateKey());
        for (GenCluster cluster : world.clusters()) {
            if (cluster.spec().pitEnabled()) {
                Instant windowEnd = (retiredAtTag == null ? world.now() : retiredAtTag)
                        .plus(Duration.ofDays(cluster.spec().restoreWindowDays()));
                if (!windowEnd.isBefore(world.now())) {
                    assertThat(safeAfter).as("safeAfter inside the restore window of %s", cluster.name())
                            .isAfterOrEqualTo(windowEnd);
                }
            }
        }
    }

    @Property(tries = 1000)
    void aDeferredKeyIsDeletableRightAfterSafeAfterOnceItsSnapshotsExpired(@ForAll("worlds") ProjectWorld world) {
        RetirementDecision decision = RetirementPolicy.decide(world.input());
        boolean datedDeferral = decision.verdict() == Verdict.DEFER
                && RetirementInput.retiredAtTag(world.candidateKey()) != null;
        Statistics.label("deferred with a retired-at").collect(datedDeferral);
        Statistics.label("deferred with a retired-at").coverage(c -> c.check(true).percentage(p -> p >= 15));
        if (!datedDeferral) {
            return;
        }
        Instant later = decision.safeAfter().isAfter(world.now()) ? decision.safeAfter().plusSeconds(1) : world.now().plusSeconds(1);

        RetirementDecision then = RetirementPolicy.decide(world.laterAfterExpiredSnapshotsRemoved(later).input());

        assertThat(then.verdict()).as(then.summary()).isEqualTo(Verdict.SCHEDULE_DELETION);
    }

    @Property(tries = 1000)
    void decisionDoesNotDependOnHowKeysAreWrittenOrInWhichOrderSnapshotsArrive(
            @ForAll("worlds") ProjectWorld world, @ForAll long respellSeed) {
        RetirementDecision original = RetirementPolicy.decide(world.input());
        RetirementDecision respelled = RetirementPolicy.decide(world.respelledAndShuffled(respellSeed).input());

        assertThat(respelled.verdict()).isEqualTo(original.verdict());
        assertThat(respelled.safeAfter()).isEqualTo(original.safeAfter());
        assertThat(respelled.evidence()).isEqualTo(original.evidence());
        assertThat(respelled.reasons()).extracting(RetirementReason::code, RetirementReason::clusterName,
                        RetirementReason::snapshots, RetirementReason::until)
                .containsExactlyElementsOf(original.reasons().stream()
                        .map(r -> org.assertj.core.groups.Tuple.tuple(r.code(), r.clusterName(), r.snapshots(), r.until()))
                        .toList());
    }

    @Property(tries = 1000)
    void evidenceCountsEverySnapshotThatNamesTheKeyPerCluster(@ForAll("worlds") ProjectWorld world) {
        RetirementDecision decision = RetirementPolicy.decide(world.input());

        assertThat(decision.evidence()).hasSameSizeAs(world.clusters());
        for (int i = 0; i < world.clusters().size(); i++) {
            GenCluster cluster = world.clusters().get(i);
            ClusterEvidence evidence = decision.evidence().get(i);
            List<GenSnapshot> naming = cluster.snapshots().stream().filter(g -> g.writtenKey() == world.candidate()).toList();
            assertThat(evidence.clusterName()).isEqualTo(cluster.name());
            assertThat(evidence.snapshotsListed()).isEqualTo(cluster.snapshots().size());
            assertThat(evidence.snapshotsHoldingKey()).isEqualTo(naming.size());
            assertThat(evidence.shardedSnapshotsHoldingKey())
                    .isEqualTo(naming.stream().filter(g -> g.snapshot().kind() == Snapshot.Kind.SHARDED_CLUSTER).count());
            assertThat(evidence.replicaSetSnapshotsHoldingKey())
                    .isEqualTo(naming.stream().filter(g -> g.snapshot().kind() == Snapshot.Kind.REPLICA_SET).count());
        }
    }

    @Property(tries = 1000)
    void aSnapshotOfTheKeyThatNeverExpiresMeansRefusal(@ForAll("worlds") ProjectWorld world) {
        RetirementDecision decision = RetirementPolicy.decide(world.input());
        boolean heldForever = world.allSnapshots().stream()
                .anyMatch(g -> g.snapshot().expiresAt() == null
                        && (g.trueKey() == world.candidate() || g.writtenKey() == world.candidate()));
        Statistics.label("held by a snapshot that never expires").collect(heldForever);
        Statistics.label("held by a snapshot that never expires").coverage(c -> c.check(true).percentage(p -> p >= 3));
        if (heldForever) {
            assertThat(decision.verdict()).as(decision.summary()).isEqualTo(Verdict.REFUSE);
        }
    }

    // ------------------------------------------------------------------ coverage of the interesting cases

    private static void collectCoverage(ProjectWorld world, RetirementDecision decision) {
        String id = world.candidateKey().keyId();
        List<GenSnapshot> holders = world.allSnapshots().stream().filter(g -> g.trueKey() == world.candidate()).toList();
        Instant trulyRetired = world.candidateTruth().trueRetiredAt();

        Statistics.label("verdict").collect(decision.verdict());
        Statistics.label("candidate").collect(world.spec().candidateKind());
        Statistics.label("snapshots listed").collect(world.totalSnapshots() >= 500 ? "500+ (pages)"
                : world.totalSnapshots() >= 100 ? "100-499" : "<100");
        label("scheduled among hundreds of snapshots", decision.scheduleDeletion() && world.totalSnapshots() >= 200);
        label("atlas names the candidate, spelled differently",
                world.atlasKey() == world.candidate() && !world.atlasReference().equals(id));
        label("sharded snapshot holds it", holders.stream().anyMatch(g -> g.snapshot().kind() == Snapshot.Kind.SHARDED_CLUSTER));
        label("terminated cluster holds it", world.clusters().stream().filter(c -> c.spec().terminated())
                .flatMap(c -> c.snapshots().stream()).anyMatch(g -> g.trueKey() == world.candidate()));
        label("held only through ARN spellings", !holders.isEmpty()
                && holders.stream().allMatch(g -> ProjectWorld.isArn(g.snapshot().masterKeyUUID())));
        label("held through an mrk- ARN of another Region", holders.stream().anyMatch(g -> ProjectWorld.isArn(g.snapshot().masterKeyUUID())
                && id.startsWith("mrk-") && !KeyIds.regionOf(g.snapshot().masterKeyUUID()).equals(world.candidateKey().region())));
        label("held through an upper-case id", holders.stream().anyMatch(g -> id.toUpperCase(Locale.ROOT).equals(g.snapshot().masterKeyUUID())));
        label("held only by snapshots with an unknown key", !holders.isEmpty() && holders.stream().allMatch(g -> g.writtenKey() < 0));
        label("unknown-key snapshot of another key inside the span", world.allSnapshots().stream()
                .anyMatch(g -> g.writtenKey() < 0 && g.trueKey() != world.candidate()));
        label("restore window reaches the key's activity", trulyRetired != null && world.clusters().stream()
                .anyMatch(c -> c.spec().pitEnabled() && c.spec().restoreWindowDays() != null
                        && !trulyRetired.plus(Duration.ofDays(c.spec().restoreWindowDays())).isBefore(world.now())));
        label("retired-at missing with a pit cluster", world.spec().retiredAtTagMissing()
                && world.clusters().stream().anyMatch(c -> c.spec().pitEnabled()));
        label("a foreign-key snapshot really holds the candidate", world.allSnapshots().stream()
                .anyMatch(g -> g.foreign() && g.trueKey() == world.candidate()));
        label("a snapshot of a forgotten key", world.spec().adversity().forgottenKeys() > 0 && world.allSnapshots().stream()
                .anyMatch(g -> g.writtenKey() >= 0 && g.writtenKey() < world.spec().adversity().forgottenKeys()
                        && g.writtenKey() != world.candidate()));
        label("a snapshot without createdAt", world.allSnapshots().stream().anyMatch(g -> g.snapshot().createdAt() == null));
        label("a paused or silent cluster", world.clusters().stream().anyMatch(c -> c.spec().quirk() != ProjectWorld.Quirk.NONE));
        label("CloudTrail shows a use that keeps the key", decision.hasReason(RetirementReason.Code.KEY_USED_SINCE_RETIREMENT));
        label("CloudTrail cannot be read", decision.hasReason(RetirementReason.Code.USAGE_UNKNOWN));
        label("an adopted key shared with others is kept", decision.hasReason(RetirementReason.Code.ADOPTED_KEY_SHARED));
        label("an adopted key nobody else needs is scheduled", decision.scheduleDeletion()
                && world.spec().adversity().sharing() == ProjectWorld.Sharing.ADOPTED_ALONE);
        label("retired less than the minimum ago, nothing else needs it", decision.verdict() == Verdict.DEFER
                && decision.reasons().stream().allMatch(r -> r.code() == RetirementReason.Code.MIN_RETIREMENT_AGE));

        Statistics.label("verdict").coverage(c -> {
            for (Verdict v : Verdict.values()) {
                c.check(v).percentage(p -> p >= 15);
            }
        });
        Statistics.label("candidate").coverage(c -> {
            for (CandidateKind k : CandidateKind.values()) {
                c.check(k).percentage(p -> p >= 3);
            }
        });
        Statistics.label("snapshots listed").coverage(c -> c.check("500+ (pages)").percentage(p -> p >= 15));
        minimum("scheduled among hundreds of snapshots", 3);
        minimum("atlas names the candidate, spelled differently", 1);
        minimum("sharded snapshot holds it", 10);
        minimum("terminated cluster holds it", 2);
        minimum("held only through ARN spellings", 1);
        minimum("held through an mrk- ARN of another Region", 2);
        minimum("held through an upper-case id", 10);
        minimum("held only by snapshots with an unknown key", 1);
        minimum("unknown-key snapshot of another key inside the span", 10);
        minimum("restore window reaches the key's activity", 5);
        minimum("retired-at missing with a pit cluster", 2);
        minimum("a foreign-key snapshot really holds the candidate", 1);
        minimum("a snapshot of a forgotten key", 3);
        minimum("a snapshot without createdAt", 3);
        minimum("a paused or silent cluster", 5);
        minimum("CloudTrail shows a use that keeps the key", 1);
        minimum("CloudTrail cannot be read", 1);
        minimum("an adopted key shared with others is kept", 2);
        minimum("an adopted key nobody else needs is scheduled", 0.3);
        minimum("retired less than the minimum ago, nothing else needs it", 0.4);
    }

    private static void label(String label, boolean value) {
        Statistics.label(label).collect(value);
    }

    private static void minimum(String label, double percent) {
        Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= percent));
    }

    /** The reference names a key of the ledger, or Atlas's current key (the candidate is in the ledger). */
    private static boolean knownTo(ProjectWorld world, String reference) {
        return world.ledgerKeyIds().stream().anyMatch(id -> KeyIds.sameKey(id, reference))
                || KeyIds.sameKey(world.atlasReference(), reference);
    }

    private static boolean readable(String reference) {
        try {
            return reference != null && !KeyIds.keyId(reference).isEmpty();
        } catch (IllegalArgumentException notAKey) {
            return false;
        }
    }
}
