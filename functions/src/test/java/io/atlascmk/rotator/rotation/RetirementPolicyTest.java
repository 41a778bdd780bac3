package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.rotation.RetirementDecision.Verdict;
import io.atlascmk.rotator.rotation.RetirementReason.Code;
import io.atlascmk.rotator.trail.KeyUse;
import io.atlascmk.rotator.trail.UsageEvidence;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.atlascmk.rotator.rotation.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetirementPolicyTest {

    private static final String OLD = keyId(1);
    private static final String CURRENT = keyId(2);
    private static final Instant RETIRED_AT = daysAgo(40);

    /** The ledger: the old and the current key. A snapshot naming any other key is an anomaly. */
    private static final Set<String> LEDGER = Set.of(OLD, CURRENT);
    /** The shortest minimum retirement, so that the other rules' dates show; its own tests set it. */
    private static final Duration MIN = RetirementInput.SHORTEST_MIN_RETIREMENT;

    private static RetirementDecision decide(ManagedKey key, String atlasRef, ClusterBackups... clusters) {
        return decide(key, atlasRef, MIN, clusters);
    }

    private static RetirementDecision decide(ManagedKey key, String atlasRef, Duration minRetirement,
                                             ClusterBackups... clusters) {
        return RetirementPolicy.decide(RetirementInput.of(key, PROJECT, atlasNames(atlasRef), List.of(clusters),
                LEDGER, minRetirement, NOW));
    }

    private static ClusterBackups cluster(String name, Snapshot... snapshots) {
        return new ClusterBackups(name, false, false, null, List.of(snapshots));
    }

    private static ClusterBackups pitCluster(String name, int restoreWindowDays, Snapshot... snapshots) {
        return new ClusterBackups(name, false, true, restoreWindowDays, List.of(snapshots));
    }

    @Test
    void auditSchedulesDeletion_whenRetiredKeyHasNoSnapshotAndNoRestoreWindow() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("c0", replicaSetSnapshot("s1", "c0", CURRENT, daysAgo(2), inDays(5))));

        assertThat(decision.verdict()).isEqualTo(Verdict.SCHEDULE_DELETION);
        assertThat(decision.reasons()).isEmpty();
        assertThat(decision.safeAfter()).isNull();
        assertThat(decision.evidence()).singleElement().satisfies(e -> {
            assertThat(e.snapshotsListed()).isEqualTo(1);
            assertThat(e.snapshotsHoldingKey()).isZero();
        });
    }

    @Test
    void auditSchedulesDeletion_whenAbandonedKeyWasNeverUsed() {
        ManagedKey abandoned = key(OLD, daysAgo(41), ledgerTags(PROJECT, KeyState.ABANDONED, daysAgo(40)));

        assertThat(decide(abandoned, CURRENT, cluster("c0")).verdict()).isEqualTo(Verdict.SCHEDULE_DELETION);
    }

    @Test
    void auditDefersDeletion_whenShardedSnapshotStillUsesKey() {
        Instant expiry = inDays(20);
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("shards", shardedSnapshot("s1", "shards", arn("eu-west-1", OLD), daysAgo(50), expiry)));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(expiry);
        assertThat(decision.hasReason(Code.SNAPSHOT_HOLDS_KEY)).isTrue();
        assertThat(decision.evidence()).singleElement().satisfies(e -> {
            assertThat(e.snapshotsHoldingKey()).isEqualTo(1);
            assertThat(e.shardedSnapshotsHoldingKey()).isEqualTo(1);
            assertThat(e.replicaSetSnapshotsHoldingKey()).isZero();
        });
    }

    @Test
    void auditDefersDeletion_untilLatestExpiryAcrossReplicaSetShardedAndTerminatedClusters() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("a", "rs", OLD, daysAgo(60), inDays(3)),
                        replicaSetSnapshot("b", "rs", OLD.toUpperCase(), daysAgo(55), inDays(9))),
                cluster("shards", shardedSnapshot("c", "shards", arn(REGION, OLD), daysAgo(50), inDays(7))),
                ClusterBackups.terminated("gone", List.of(replicaSetSnapshot("d", "gone", OLD, daysAgo(70), inDays(30)))));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(inDays(30));
        assertThat(decision.snapshotsHoldingKey()).isEqualTo(4);
        assertThat(decision.evidence()).extracting(ClusterEvidence::clusterName, ClusterEvidence::snapshotsHoldingKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rs", 2), org.assertj.core.groups.Tuple.tuple("shards", 1),
                        org.assertj.core.groups.Tuple.tuple("gone", 1));
        assertThat(decision.evidence().get(2).terminated()).isTrue();
    }

    @Test
    void auditDefersDeletion_whenSnapshotPastItsExpiryIsStillListed() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("late", "rs", OLD, daysAgo(60), daysAgo(1))));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(daysAgo(1));
    }

    @Test
    void auditRefusesDeletion_whenSnapshotUsingKeyNeverExpires() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("forever", "rs", OLD, daysAgo(60), null),
                        replicaSetSnapshot("soon", "rs", OLD, daysAgo(59), inDays(2))));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.safeAfter()).isNull();
        assertThat(decision.reasons()).filteredOn(r -> r.code() == Code.SNAPSHOT_WITHOUT_EXPIRY)
                .singleElement().satisfies(r -> {
                    assertThat(r.snapshotIds()).containsExactly("forever");
                    assertThat(r.message()).contains("forever").contains("deleted in Atlas");
                });
    }

    @Test
    void auditRefusesDeletion_whenAtlasNamesKeyByArn() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), arn(REGION, OLD), cluster("c0"));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.hasReason(Code.ATLAS_NAMES_KEY)).isTrue();
    }

    @Test
    void auditRefusesDeletion_whenAtlasNamesMultiRegionKeyThroughAReplicaArn() {
        String mrk = mrkId(5);
        RetirementDecision decision = decide(retiredKey(mrk, RETIRED_AT), arn("ap-southeast-2", mrk), cluster("c0"));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.hasReason(Code.ATLAS_NAMES_KEY)).isTrue();
    }

    @Test
    void auditRefusesDeletion_whenAtlasKeyReferenceIsNotAKeyId() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), "alias/atlas", cluster("c0"));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.hasReason(Code.ATLAS_KEY_UNREADABLE)).isTrue();
    }

    @Test
    void auditRefusesDeletion_whenKeyHasNoProjectTag() {
        Map<String, String> tags = ledgerTags(null, KeyState.RETIRED, RETIRED_AT);
        RetirementDecision decision = decide(key(OLD, daysAgo(300), tags), CURRENT, cluster("c0"));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(Code.KEY_NOT_IN_PROJECT);
            assertThat(r.message()).contains("neither created nor adopted");
        });
    }

    @Test
    void auditRefusesDeletion_whenKeyBelongsToAnotherProject() {
        ManagedKey theirs = key(OLD, daysAgo(300), ledgerTags(OTHER_PROJECT, KeyState.RETIRED, RETIRED_AT));

        RetirementDecision decision = decide(theirs, CURRENT, cluster("c0"));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.reasons()).singleElement().extracting(RetirementReason::message).asString()
                .contains(OTHER_PROJECT);
    }

    @Test
    void auditRefusesDeletion_whenKeyIsNotRetiredOrAbandoned() {
        for (KeyState state : List.of(KeyState.ACTIVE, KeyState.PENDING, KeyState.DELETION_SCHEDULED)) {
            ManagedKey key = key(OLD, daysAgo(300), ledgerTags(PROJECT, state, RETIRED_AT));
            assertThat(decide(key, CURRENT, cluster("c0")).hasReason(Code.KEY_STATE_NOT_RETIRABLE))
                    .as("state %s", state).isTrue();
        }
        Map<String, String> noState = new HashMap<>(ledgerTags(PROJECT, null, RETIRED_AT));
        noState.put(KeyTags.STATE, "gone-fishing");
        RetirementDecision unknownState = decide(key(OLD, daysAgo(300), noState), CURRENT, cluster("c0"));
        assertThat(unknownState.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(unknownState.reasons()).singleElement().extracting(RetirementReason::message).asString()
                .contains("gone-fishing");
    }

    @Test
    void auditDefersDeletion_whileContinuousBackupCanRestoreToWhenKeyWasActive() {
        RetirementDecision decision = decide(retiredKey(OLD, daysAgo(3)), CURRENT, pitCluster("pit", 7));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(daysAgo(3).plus(Duration.ofDays(7)));
        assertThat(decision.hasReason(Code.RESTORE_WINDOW_COVERS_KEY)).isTrue();
        assertThat(decision.evidence().get(0).restoreWindowEnd()).isEqualTo(inDays(4));
    }

    @Test
    void auditDefersDeletion_atTheLastInstantTheRestoreWindowReachesRetirement() {
        RetirementDecision decision = decide(retiredKey(OLD, daysAgo(7)), CURRENT, pitCluster("pit", 7));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(NOW);
    }

    @Test
    void auditSchedulesDeletion_onceRestoreWindowNoLongerReachesRetirement() {
        RetirementDecision decision = decide(retiredKey(OLD, daysAgo(7).minusSeconds(1)), CURRENT, pitCluster("pit", 7));

        assertThat(decision.verdict()).isEqualTo(Verdict.SCHEDULE_DELETION);
    }

    @Test
    void auditDefersDeletion_countingWindowFromNow_whenRetiredAtIsMissingAndAPitClusterExists() {
        ManagedKey noRetiredAt = key(OLD, daysAgo(300), ledgerTags(PROJECT, KeyState.RETIRED, null));

        RetirementDecision decision = decide(noRetiredAt, CURRENT, pitCluster("pit", 12), cluster("plain"));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(inDays(12));
        assertThat(decision.hasReason(Code.RETIRED_AT_UNKNOWN)).isTrue();
    }

    @Test
    void auditTreatsUnreadableRetiredAtAsMissing() {
        Map<String, String> tags = new HashMap<>(ledgerTags(PROJECT, KeyState.RETIRED, null));
        tags.put(KeyTags.RETIRED_AT, "last tuesday");

        RetirementDecision decision = decide(key(OLD, daysAgo(300), tags), CURRENT, pitCluster("pit", 5));

        assertThat(decision.hasReason(Code.RETIRED_AT_UNKNOWN)).isTrue();
    }

    @Test
    void auditDefersDeletion_forTheMinimumRetirementFromNow_whenRetiredAtIsMissing() {
        ManagedKey noRetiredAt = key(OLD, daysAgo(300), ledgerTags(PROJECT, KeyState.RETIRED, null));

        RetirementDecision decision = decide(noRetiredAt, CURRENT, Duration.ofDays(30), cluster("plain"));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(inDays(30));
        assertThat(decision.hasReason(Code.MIN_RETIREMENT_AGE)).isTrue();
    }

    @Test
    void auditDefersDeletion_untilTheMinimumRetirementHasPassed_whateverTheSnapshotsSay() {
        ManagedKey retired = retiredKey(OLD, daysAgo(12));

        RetirementDecision young = decide(retired, CURRENT, Duration.ofDays(30), cluster("plain"));
        RetirementDecision oldEnough = decide(retired, CURRENT, Duration.ofDays(12).minusSeconds(1), cluster("plain"));

        assertThat(young.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(young.safeAfter()).isEqualTo(inDays(18));
        assertThat(young.reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(Code.MIN_RETIREMENT_AGE);
            assertThat(r.message()).contains("minimum retirement of 30 days");
        });
        assertThat(oldEnough.verdict()).isEqualTo(Verdict.SCHEDULE_DELETION);
    }

    @Test
    void theMinimumRetirementCannotBeShorterThanSevenDays() {
        assertThatThrownBy(() -> decide(retiredKey(OLD, RETIRED_AT), CURRENT, Duration.ofDays(6), cluster("plain")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 7 days");
    }

    @Test
    void auditRefusesDeletion_whenPitClusterScheduleHasNoRestoreWindow() {
        ClusterBackups unknownWindow = new ClusterBackups("pit", false, true, null, List.of());

        RetirementDecision decision = decide(retiredKey(OLD, daysAgo(400)), CURRENT, unknownWindow);

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.hasReason(Code.RESTORE_WINDOW_UNKNOWN)).isTrue();
    }

    @Test
    void auditDefersDeletion_untilTheLaterOfSnapshotExpiryAndRestoreWindow() {
        RetirementDecision windowLater = decide(retiredKey(OLD, daysAgo(1)), CURRENT,
                pitCluster("pit", 10, replicaSetSnapshot("s", "pit", OLD, daysAgo(30), inDays(2))));
        RetirementDecision snapshotLater = decide(retiredKey(OLD, daysAgo(1)), CURRENT,
                pitCluster("pit", 10, replicaSetSnapshot("s", "pit", OLD, daysAgo(30), inDays(20))));

        assertThat(windowLater.safeAfter()).isEqualTo(inDays(9));
        assertThat(snapshotLater.safeAfter()).isEqualTo(inDays(20));
    }

    @Test
    void auditDefersDeletion_whenSnapshotWithUnknownKeyWasTakenWhileKeyWasActive() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("unknown", "rs", null, RETIRED_AT.minusSeconds(60), inDays(11))));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(inDays(11));
        assertThat(decision.hasReason(Code.UNKNOWN_KEY_SNAPSHOT)).isTrue();
        assertThat(decision.evidence().get(0).snapshotsWithUnknownKey()).isEqualTo(1);
        assertThat(decision.evidence().get(0).snapshotsHoldingKey()).isZero();
    }

    @Test
    void auditTreatsUnparseableMasterKeyUuidAsUnknown() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("odd", "rs", "alias/who-knows", RETIRED_AT.minusSeconds(60), inDays(11))));

        assertThat(decision.hasReason(Code.UNKNOWN_KEY_SNAPSHOT)).isTrue();
    }

    @Test
    void auditRefusesDeletion_whenUnknownKeySnapshotWithoutExpiryMayHoldKey() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("mystery", "rs", null, RETIRED_AT.minusSeconds(60), null)));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.hasReason(Code.UNKNOWN_KEY_SNAPSHOT_WITHOUT_EXPIRY)).isTrue();
    }

    @Test
    void auditRefusesDeletion_whenASnapshotThatMayHoldTheKeyHasNoCreatedAt() {
        RetirementDecision unknownKey = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("when", "rs", null, null, inDays(3))));
        RetirementDecision knownOtherKey = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("when", "rs", CURRENT, null, inDays(3))));

        assertThat(unknownKey.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(unknownKey.hasReason(Code.SNAPSHOT_TIME_UNKNOWN)).isTrue();
        assertThat(knownOtherKey.verdict()).as("a snapshot under another known key never needs this one")
                .isEqualTo(Verdict.SCHEDULE_DELETION);
    }

    @Test
    void aSnapshotNamingAKeyNobodyKnows_mayHoldEveryKeyActiveWhenItWasTaken_andIsReportedAsAnAnomaly() {
        String foreign = keyId(99);
        ClusterBackups shared = cluster("rs",
                replicaSetSnapshot("during", "rs", foreign, RETIRED_AT.minus(Duration.ofDays(3)), inDays(9)),
                replicaSetSnapshot("after", "rs", foreign, RETIRED_AT.plus(Duration.ofDays(3)), inDays(40)));

        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT, shared);

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).as("only the snapshot taken while OLD was active counts").isEqualTo(inDays(9));
        assertThat(decision.reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(Code.FOREIGN_KEY_SNAPSHOT);
            assertThat(r.message()).startsWith("Anomaly").contains(foreign).contains("during");
        });
        assertThat(decision.anomalies()).containsExactlyInAnyOrder(
                new RetirementDecision.Anomaly("during", "rs", foreign),
                new RetirementDecision.Anomaly("after", "rs", foreign));
        assertThat(decision.evidence().get(0).snapshotsWithUnknownKey()).isEqualTo(1);
    }

    @Test
    void aSnapshotNamingAKeyNobodyKnowsThatNeverExpires_refuses() {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT, cluster("rs",
                replicaSetSnapshot("forever", "rs", arn("us-east-1", keyId(98)), RETIRED_AT.minusSeconds(5), null)));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.hasReason(Code.FOREIGN_KEY_SNAPSHOT_WITHOUT_EXPIRY)).isTrue();
    }

    @Test
    void aPausedAwsEncryptedCluster_orOneThatDoesNotSay_refuses() {
        ClusterBackups paused = new ClusterBackups("sleepy", false, false, null, true, List.of());
        ClusterBackups unknown = new ClusterBackups("quiet", false, false, null, null, List.of());

        RetirementDecision whilePaused = decide(retiredKey(OLD, RETIRED_AT), CURRENT, paused);
        RetirementDecision whileUnknown = decide(retiredKey(OLD, RETIRED_AT), CURRENT, unknown);

        assertThat(whilePaused.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(whilePaused.reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(Code.CLUSTER_PAUSED);
            assertThat(r.message()).contains("sleepy").contains("Resume it");
        });
        assertThat(whileUnknown.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(whileUnknown.hasReason(Code.CLUSTER_PAUSED)).isTrue();
    }

    private static RetirementDecision decideWithUsage(ManagedKey key, UsageEvidence usage) {
        return RetirementPolicy.decide(RetirementInput.of(key, PROJECT, atlasNames(CURRENT), List.of(cluster("plain")),
                LEDGER, MIN, NOW).withUsage(usage));
    }

    @Test
    void aUseSinceTheRetirement_keepsTheKeyAMinimumRetirementPastTheLastUse_namingWhoUsedIt() {
        KeyUse restore = new KeyUse("Decrypt", "arn:aws:iam::111122223333:role/restore-job", daysAgo(3), null);
        UsageEvidence usage = UsageEvidence.checked(RETIRED_AT, RETIRED_AT, NOW, List.of(restore), 1);

        RetirementDecision decision = decideWithUsage(retiredKey(OLD, RETIRED_AT), usage);

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(inDays(4));
        assertThat(decision.reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(Code.KEY_USED_SINCE_RETIREMENT);
            assertThat(r.message()).contains("restore-job").contains(daysAgo(3).toString());
        });
        assertThat(decision.usageChecked()).isTrue();
    }

    @Test
    void aCleanTrail_letsTheKeyGo_andAnUnreadableOneRefuses() {
        UsageEvidence clean = UsageEvidence.checked(RETIRED_AT, RETIRED_AT, NOW, List.of(), 1);
        UsageEvidence unreadable = UsageEvidence.unavailable(RETIRED_AT, "AccessDeniedException", 1);

        RetirementDecision ok = decideWithUsage(retiredKey(OLD, RETIRED_AT), clean);
        RetirementDecision unknown = decideWithUsage(retiredKey(OLD, RETIRED_AT), unreadable);

        assertThat(ok.verdict()).isEqualTo(Verdict.SCHEDULE_DELETION);
        assertThat(ok.usageChecked()).isTrue();
        assertThat(unknown.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(unknown.hasReason(Code.USAGE_UNKNOWN)).isTrue();
        assertThat(unknown.usageChecked()).isFalse();
    }

    private static ManagedKey adoptedKey() {
        Map<String, String> tags = new HashMap<>(ledgerTags(PROJECT, KeyState.RETIRED, RETIRED_AT));
        tags.remove(KeyTags.ROTATION);
        tags.put(KeyTags.ADOPTED_BY, "manual-1");
        return key(OLD, daysAgo(400), tags);
    }

    private static RetirementDecision decideAdopted(AdoptionEvidence adoption) {
        UsageEvidence clean = UsageEvidence.checked(RETIRED_AT, RETIRED_AT, NOW, List.of(), 1);
        RetirementInput input = RetirementInput.of(adoptedKey(), PROJECT, atlasNames(CURRENT), List.of(cluster("plain")),
                LEDGER, MIN, NOW).withUsage(clean);
        return RetirementPolicy.decide(adoption == null ? input : input.withAdoption(adoption));
    }

    @Test
    void anAdoptedKey_isDeletedOnlyOnceWhoElseMayNeedItWasChecked_andFoundNobody() {
        AdoptionEvidence nobody = new AdoptionEvidence(false, List.of(), List.of(), List.of(), List.of(), null);

        RetirementDecision unchecked = decideAdopted(null);
        RetirementDecision checked = decideAdopted(nobody);

        assertThat(unchecked.adoptedKeyChecked()).isFalse();
        assertThat(checked.verdict()).isEqualTo(Verdict.SCHEDULE_DELETION);
        assertThat(checked.adoptedKeyChecked()).isTrue();
    }

    @Test
    void anAdoptedKey_sharedWithAnotherProject_grantedOrInThePolicyOfOthers_orUnreadable_orKept_isNeverDeleted() {
        List<AdoptionEvidence> shared = List.of(
                new AdoptionEvidence(false, List.of("6a7b8c9d0e1f2a3b4c5d6e7f"), List.of(), List.of(), List.of(), null),
                new AdoptionEvidence(false, List.of(), List.of("6a7b8c9d0e1f2a3b4c5d6e7f (AtlasForbiddenException)"),
                        List.of(), List.of(), null),
                new AdoptionEvidence(false, List.of(), List.of(), List.of("arn:aws:iam::111122223333:role/etl [Decrypt]"),
                        List.of(), null),
                new AdoptionEvidence(false, List.of(), List.of(), List.of(),
                        List.of("arn:aws:iam::444455556666:role/staging-atlas"), null),
                new AdoptionEvidence(false, List.of(), List.of(), List.of(), List.of(), "the key's grants could not be read"));

        for (AdoptionEvidence evidence : shared) {
            RetirementDecision decision = decideAdopted(evidence);
            assertThat(decision.verdict()).as(evidence.toString()).isEqualTo(Verdict.REFUSE);
            assertThat(decision.reasons()).singleElement().satisfies(r -> {
                assertThat(r.code()).isEqualTo(Code.ADOPTED_KEY_SHARED);
                assertThat(r.message()).contains("was adopted");
            });
        }
        RetirementDecision kept = decideAdopted(new AdoptionEvidence(true, List.of(), List.of(), List.of(), List.of(), null));
        assertThat(kept.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(kept.hasReason(Code.ADOPTED_KEY_KEPT)).isTrue();
    }

    @Test
    void aClusterThatDoesNotSayWhetherContinuousBackupIsOn_refuses() {
        ClusterBackups silent = new ClusterBackups("silent", false, null, null, List.of());

        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT, silent);

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.hasReason(Code.CONTINUOUS_BACKUP_UNKNOWN)).isTrue();
    }

    @Test
    void auditIgnoresUnknownKeySnapshots_takenBeforeKeyExistedOrAfterItRetired() {
        ManagedKey key = key(OLD, daysAgo(100), ledgerTags(PROJECT, KeyState.RETIRED, RETIRED_AT));

        RetirementDecision decision = decide(key, CURRENT,
                cluster("rs", replicaSetSnapshot("older", "rs", null, daysAgo(101), null),
                        replicaSetSnapshot("newer", "rs", null, RETIRED_AT.plusSeconds(1), null)));

        assertThat(decision.verdict()).isEqualTo(Verdict.SCHEDULE_DELETION);
    }

    @Test
    void auditCountsUnknownKeySnapshotsAgainstEveryKeyWhenRetiredAtIsMissing() {
        ManagedKey noRetiredAt = key(OLD, daysAgo(100), ledgerTags(PROJECT, KeyState.RETIRED, null));

        RetirementDecision decision = decide(noRetiredAt, CURRENT,
                cluster("rs", replicaSetSnapshot("yesterday", "rs", null, daysAgo(1), inDays(16))));

        assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
        assertThat(decision.safeAfter()).isEqualTo(inDays(16));
    }

    @Test
    void auditReportsEvidencePerCluster_evenWhenItRefuses() {
        ManagedKey theirs = key(OLD, daysAgo(300), ledgerTags(OTHER_PROJECT, KeyState.RETIRED, RETIRED_AT));

        RetirementDecision decision = decide(theirs, CURRENT,
                cluster("rs", replicaSetSnapshot("a", "rs", OLD, daysAgo(60), inDays(3))));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.snapshotsHoldingKey()).isEqualTo(1);
        assertThat(decision.reasons()).extracting(RetirementReason::code)
                .containsExactlyInAnyOrder(Code.KEY_NOT_IN_PROJECT, Code.SNAPSHOT_HOLDS_KEY);
    }

    @Test
    void auditAggregatesReasonsPerCluster_withAtMostTenSnapshotIds() {
        List<Snapshot> many = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            many.add(replicaSetSnapshot("s" + i, "rs", i % 2 == 0 ? OLD : arn(REGION, OLD), daysAgo(60), inDays(i % 40)));
        }
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                new ClusterBackups("rs", false, false, null, many));

        assertThat(decision.reasons()).singleElement().satisfies(r -> {
            assertThat(r.snapshots()).isEqualTo(700);
            assertThat(r.snapshotIds()).hasSize(RetirementReason.MAX_SNAPSHOT_IDS);
            assertThat(r.until()).isEqualTo(inDays(39));
        });
    }

    @Test
    void decisionRoundTripsThroughTheSharedMapper() throws Exception {
        RetirementDecision decision = decide(retiredKey(OLD, RETIRED_AT), CURRENT,
                cluster("rs", replicaSetSnapshot("a", "rs", OLD, daysAgo(60), inDays(3))));

        String json = Json.MAPPER.writeValueAsString(decision);

        assertThat(Json.MAPPER.readValue(json, RetirementDecision.class)).isEqualTo(decision);
        assertThat(json).contains("\"verdict\":\"DEFER\"").contains("\"safeAfter\":\"" + inDays(3) + "\"");
    }
}
