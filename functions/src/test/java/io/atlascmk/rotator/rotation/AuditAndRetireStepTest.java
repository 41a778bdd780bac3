package io.atlascmk.rotator.rotation;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static io.atlascmk.rotator.rotation.RotationWorld.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.Snapshot.Kind;
import io.atlascmk.rotator.kms.FakeKmsClient;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditAndRetireStepTest {

    private static final int WINDOW = 30;
    /** The shortest minimum retirement a project may set; the tests of the other rules wait it out. */
    private static final int MIN_RETIREMENT_DAYS = 7;

    private static AuditAndRetireResult audit(RotationWorld world, boolean dryRun, String... extraClusters) {
        return new AuditAndRetireStep(world.deps()).audit(new AuditAndRetireRequest(PROJECT, ROTATION, dryRun, WINDOW,
                List.of(extraClusters), MIN_RETIREMENT_DAYS));
    }

    /** A finished rotation: the previous key is retired, Atlas uses the new one; the minimum retirement has passed. */
    private static RotationWorld afterRotation() {
        RotationWorld world = RotationWorld.managed();
        world.rotated(Duration.ofDays(MIN_RETIREMENT_DAYS + 1));
        return world;
    }

    private static String retiredKey(RotationWorld world) {
        return world.currentKeyArn;
    }

    private static AuditedKey only(AuditAndRetireResult result) {
        assertThat(result.keys()).hasSize(1);
        return result.keys().get(0);
    }

    @Test
    void auditSchedulesDeletion_whenNoSnapshotOrRestoreWindowNeedsTheRetiredKey() {
        RotationWorld world = afterRotation();

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("schedule-deletion");
        assertThat(key.state()).isEqualTo("deletion-scheduled");
        assertThat(key.reasons()).isEmpty();
        assertThat(key.deletionDate()).isEqualTo(world.clock.instant().plus(Duration.ofDays(WINDOW)));
        FakeKmsClient.FakeKey kmsKey = world.kms.key(retiredKey(world));
        assertThat(kmsKey.pendingDeletion()).isTrue();
        assertThat(kmsKey.pendingWindowInDays()).isEqualTo(WINDOW);
        assertThat(kmsKey.ledgerState()).isEqualTo(KeyState.DELETION_SCHEDULED);
    }

    @Test
    void auditAsksCloudTrail_beforeEveryDeletion_andDefers_whenSomethingUsedTheKeySinceItsRetirement() {
        RotationWorld world = afterRotation();
        String key = retiredKey(world);
        Instant retiredAt = Instant.parse(world.kms.key(key).tag(KeyTags.RETIRED_AT));
        String restoreJob = "arn:aws:iam::111122223333:role/quarterly-restore-test";
        world.trail().events().recordKmsUse(RotationWorld.ROLE_ARN, "Decrypt", key, retiredAt.plusSeconds(60)); // re-wrap
        world.trail().events().recordKmsUse(restoreJob, "Decrypt", key, retiredAt.plus(Duration.ofDays(2)));

        AuditedKey audited = only(audit(world, false));

        assertThat(audited.decision()).isEqualTo("defer");
        assertThat(audited.safeAfter()).isEqualTo(retiredAt.plus(Duration.ofDays(2 + MIN_RETIREMENT_DAYS)));
        assertThat(audited.reasons()).singleElement().asString().contains("assumed-role/quarterly-restore-test")
                .doesNotContain("atlas-encryption-at-rest"); // Atlas's re-wrap within the settle time does not count
        assertThat(audited.usage()).contains("1 use(s)").contains("quarterly-restore-test");
        assertThat(world.kms.key(key).pendingDeletion()).isFalse();
    }

    @Test
    void aScheduledDeletion_reportsThePeriodCloudTrailWasCheckedOver() {
        RotationWorld world = afterRotation();
        Instant retiredAt = Instant.parse(world.kms.key(retiredKey(world)).tag(KeyTags.RETIRED_AT));

        AuditedKey audited = only(audit(world, false));

        assertThat(audited.decision()).isEqualTo("schedule-deletion");
        assertThat(audited.usage()).contains("CloudTrail checked from " + retiredAt.plusSeconds(300))
                .contains("no use of the key");
    }

    @Test
    void auditDeletesNothing_whenCloudTrailCannotBeRead() {
        RotationWorld world = afterRotation();
        world.trail().aws().faults().failNext(io.atlascmk.sandbox.aws.AwsService.CLOUDTRAIL, "LookupEvents", 10);

        AuditedKey audited = only(audit(world, false));

        assertThat(audited.decision()).isEqualTo("refuse");
        assertThat(audited.reasons()).singleElement().asString().contains("cannot be told").contains("CloudTrail");
        assertThat(world.kms.writes("ScheduleKeyDeletion")).isZero();
    }

    @Test
    void auditDefersDeletion_whenShardedSnapshotStillUsesKey() {
        RotationWorld world = afterRotation();
        Instant expires = START.plus(Duration.ofDays(40));
        world.atlas.snapshot("Shard0", Kind.SHARDED_CLUSTER, world.kms.key(retiredKey(world)).keyId(),
                START.minus(Duration.ofDays(3)), expires);

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("defer");
        assertThat(key.safeAfter()).isEqualTo(expires);
        assertThat(key.evidence()).containsExactly(java.util.Map.entry("Shard0", 1));
        assertThat(key.state()).isEqualTo("retired");
        FakeKmsClient.FakeKey kmsKey = world.kms.key(retiredKey(world));
        assertThat(kmsKey.tag(KeyTags.SAFE_AFTER)).isEqualTo(expires.toString());
        assertThat(kmsKey.enabled()).as("kept enabled").isTrue();
        assertThat(world.kms.writes("ScheduleKeyDeletion")).isZero();
    }

    @Test
    void auditDefersDeletion_whenAReplicaSetSnapshotOfAShardedClusterNamesTheKeyByArn() {
        RotationWorld world = afterRotation();
        Instant expires = START.plus(Duration.ofDays(9));
        world.atlas.snapshot("Shard0", Kind.REPLICA_SET, retiredKey(world), START.minus(Duration.ofDays(2)), expires);

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("defer");
        assertThat(key.safeAfter()).isEqualTo(expires);
    }

    @Test
    void auditRefusesDeletion_whenASnapshotHoldingTheKeyNeverExpires() {
        RotationWorld world = afterRotation();
        world.atlas.snapshot("Cluster0", Kind.REPLICA_SET, world.kms.key(retiredKey(world)).keyId(),
                START.minus(Duration.ofDays(30)), null);

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("refuse");
        assertThat(key.safeAfter()).isNull();
        assertThat(world.kms.key(retiredKey(world)).enabled()).isTrue();
        assertThat(world.kms.writes("ScheduleKeyDeletion")).isZero();
    }

    @Test
    void auditDefersDeletion_whileAContinuousBackupWindowReachesBackToTheKey() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.replicaSet("Pit0", true).restoreWindow("Pit0", 7);
        CreateKeyResult ignored = world.rotated(Duration.ofDays(1));
        Instant retiredAt = Instant.parse(world.kms.key(retiredKey(world)).tag(KeyTags.RETIRED_AT));

        AuditedKey key = only(audit(world, false));

        assertThat(ignored.created()).isTrue();
        assertThat(key.decision()).isEqualTo("defer");
        assertThat(key.safeAfter()).isEqualTo(retiredAt.plus(Duration.ofDays(7)));
    }

    @Test
    void auditReadsTheDeletedClustersAtlasListsWithRetainedBackups_withoutAnyConfiguration() {
        RotationWorld world = afterRotation();
        Instant expires = START.plus(Duration.ofDays(200));
        world.atlas.terminated("orders-2019").snapshot("orders-2019", Kind.REPLICA_SET,
                world.kms.key(retiredKey(world)).keyId(), START.minus(Duration.ofDays(30)), expires);

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("defer");
        assertThat(key.safeAfter()).isEqualTo(expires);
        assertThat(key.evidence()).containsEntry("orders-2019", 1);
        assertThat(key.reasons()).anySatisfy(r -> assertThat(r).contains("deleted cluster 'orders-2019'"));
        assertThat(world.atlas.callCount("listClustersWithRetainedBackups")).isEqualTo(1);
    }

    @Test
    void auditDeletesNothing_whenTheListOfDeletedClustersCannotBeRead() {
        RotationWorld world = afterRotation();
        world.atlas.failRetainedListing(() -> new io.atlascmk.rotator.atlas.AtlasUnavailableException(
                "Atlas answered 503", 503, "SERVICE_UNAVAILABLE", null));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> audit(world, false))
                .isInstanceOf(io.atlascmk.rotator.atlas.AtlasUnavailableException.class);
        assertThat(world.kms.writes("ScheduleKeyDeletion")).isZero();
        assertThat(world.kms.key(retiredKey(world)).pendingDeletion()).isFalse();
    }

    @Test
    void auditRefuses_whenADeletedClusterAtlasListsHasSnapshotListsItCannotRead() {
        RotationWorld world = afterRotation();
        world.atlas.deletedButUnreadable("vanishing");

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("refuse");
        assertThat(key.reasons()).singleElement().asString()
                .contains("Atlas lists cluster 'vanishing' as deleted with retained backups").contains("404");
        assertThat(world.kms.key(retiredKey(world)).pendingDeletion()).isFalse();
    }

    @Test
    void auditRefuses_whileAnAwsEncryptedClusterIsPaused() {
        RotationWorld world = afterRotation();
        world.atlas.cluster(new Cluster("Sleepy", "REPLICASET", "IDLE", "AWS", true, false, true));

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("refuse");
        assertThat(key.reasons()).singleElement().asString().contains("'Sleepy' is paused").contains("Resume it");
        assertThat(world.kms.key(retiredKey(world)).pendingDeletion()).isFalse();
    }

    @Test
    void auditReadsExtraClusters_andDefers_whenATerminatedClustersSnapshotUsesTheKey() {
        RotationWorld world = afterRotation();
        world.atlas.terminated("orders-2019-terminated");
        Instant expires = START.plus(Duration.ofDays(365));
        world.atlas.snapshot("orders-2019-terminated", Kind.REPLICA_SET, world.kms.key(retiredKey(world)).keyId(),
                START.minus(Duration.ofDays(100)), expires);

        AuditAndRetireResult result = audit(world, false, "orders-2019-terminated");

        assertThat(only(result).decision()).isEqualTo("defer");
        assertThat(only(result).evidence()).containsKey("orders-2019-terminated");
        assertThat(result.clustersAudited()).isEqualTo(3);
        assertThat(result.snapshotsAudited()).isEqualTo(1);
    }

    @Test
    void auditDeletesNothing_whileAnExtraClusterIsUnknownToAtlas() {
        RotationWorld world = afterRotation();

        AuditedKey key = only(audit(world, false, "misspelled-cluster"));

        assertThat(key.decision()).isEqualTo("refuse");
        assertThat(key.reasons()).anyMatch(r -> r.contains("misspelled-cluster"));
        assertThat(world.kms.writes("ScheduleKeyDeletion")).isZero();
    }

    @Test
    void auditNeverSchedulesDeletion_forTheKeyAtlasNames_evenWhenTaggedRetired() {
        RotationWorld world = RotationWorld.managed();
        world.kms.tagResource(b -> b.keyId(world.currentKeyArn).tags(
                t -> t.tagKey(KeyTags.STATE).tagValue("retired")));

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("refuse");
        assertThat(world.kms.key(world.currentKeyArn).pendingDeletion()).isFalse();
    }

    @Test
    void auditNeverTouchesKeysItDidNotCreateOrAdopt() {
        RotationWorld world = afterRotation();
        String untagged = world.kms.seedKey();
        String otherProject = world.kms.seed().ledger("6a6a6a6a6a6a6a6a6a6a6a6a", "x", KeyState.RETIRED).create();

        AuditAndRetireResult result = audit(world, false);

        assertThat(result.keys()).extracting(AuditedKey::keyId).containsExactly(world.kms.key(retiredKey(world)).keyId());
        assertThat(world.kms.key(untagged).pendingDeletion()).isFalse();
        assertThat(world.kms.key(otherProject).pendingDeletion()).isFalse();
        assertThat(world.kms.key(untagged).tags()).isEmpty();
    }

    @Test
    void auditRetiresAbandonedKeysToo_stampingAMissingRetiredAt_andDeletesThemAfterTheMinimumRetirement() {
        RotationWorld world = RotationWorld.managed();
        String abandoned = world.kms.seed().ledger(PROJECT, "dead-rotation", KeyState.ABANDONED).create();
        Instant stamped = world.clock.instant();

        AuditedKey first = only(audit(world, false));
        world.clock.advance(Duration.ofDays(MIN_RETIREMENT_DAYS).plusSeconds(1));
        AuditedKey later = only(audit(world, false));

        assertThat(first.keyId()).isEqualTo(world.kms.key(abandoned).keyId());
        assertThat(first.decision()).isEqualTo("defer");
        assertThat(first.safeAfter()).isEqualTo(stamped.plus(Duration.ofDays(MIN_RETIREMENT_DAYS)));
        assertThat(first.reasons()).singleElement().asString().contains("minimum retirement of 7 days");
        assertThat(world.kms.key(abandoned).tag(KeyTags.RETIRED_AT)).isEqualTo(stamped.toString());
        assertThat(later.decision()).isEqualTo("schedule-deletion");
        assertThat(world.kms.key(abandoned).pendingDeletion()).isTrue();
    }

    @Test
    void auditFinishesAnInterruptedDeletion_ofAKeyTaggedDeletionScheduledButStillEnabled() {
        RotationWorld world = RotationWorld.managed();
        String interrupted = world.kms.seed().ledger(PROJECT, "old", KeyState.DELETION_SCHEDULED)
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(60)).toString()).create();

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("schedule-deletion");
        assertThat(world.kms.key(interrupted).pendingDeletion()).isTrue();
        assertThat(world.kms.writes("TagResource")).as("already tagged").isZero();
    }

    @Test
    void auditRestoresRetired_whenAnInterruptedDeletionTurnsOutToBeNeeded() {
        RotationWorld world = RotationWorld.managed();
        String interrupted = world.kms.seed().ledger(PROJECT, "old", KeyState.DELETION_SCHEDULED)
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(60)).toString()).create();
        world.atlas.snapshot("Cluster0", Kind.REPLICA_SET, world.kms.key(interrupted).keyId(),
                START.minus(Duration.ofDays(70)), START.plus(Duration.ofDays(5)));

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("defer");
        assertThat(key.state()).isEqualTo("retired");
        assertThat(world.kms.key(interrupted).ledgerState()).isEqualTo(KeyState.RETIRED);
        assertThat(world.kms.key(interrupted).pendingDeletion()).isFalse();
    }

    @Test
    void auditLeavesKeysAlreadyPendingDeletionAlone() {
        RotationWorld world = RotationWorld.managed();
        world.kms.seed().ledger(PROJECT, "old", KeyState.DELETION_SCHEDULED).pendingDeletion(20).create();
        world.resetRecording();

        AuditAndRetireResult result = audit(world, false);

        assertThat(result.keys()).isEmpty();
        assertThat(world.kms.totalWrites()).isZero();
        assertThat(world.atlas.callCount("listClusters")).as("nothing to audit, no snapshot read").isZero();
    }

    @Test
    void auditReadsEachClustersSnapshotsOncePerRun_notOncePerKey() {
        RotationWorld world = RotationWorld.managed();
        for (int i = 0; i < 3; i++) {
            world.kms.seed().ledger(PROJECT, "old-" + i, KeyState.RETIRED)
                    .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(90 + i)).toString()).create();
        }
        world.atlas.terminated("gone");
        world.resetRecording();

        AuditAndRetireResult result = audit(world, true, "gone");

        assertThat(result.keys()).hasSize(3);
        assertThat(world.atlas.callCount("listReplicaSetSnapshots")).isEqualTo(3);
        assertThat(world.atlas.callCount("listShardedClusterSnapshots")).isEqualTo(3);
        assertThat(world.atlas.callCount("listClusters")).isEqualTo(1);
    }

    @Test
    void auditDryRun_writesNothingToKmsOrAtlas_butReportsWhatItWouldDo() {
        RotationWorld world = afterRotation();
        String abandoned = world.kms.seed().ledger(PROJECT, "dead-rotation", KeyState.ABANDONED).create();
        world.kms.seed().ledger(PROJECT, "old", KeyState.RETIRED).tag(KeyTags.SAFE_AFTER, "2020-01-01T00:00:00Z")
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(60)).toString()).create();
        world.atlas.snapshot("Cluster0", Kind.REPLICA_SET, world.kms.key(abandoned).keyId(), START,
                START.plus(Duration.ofDays(2)));
        world.resetRecording();

        AuditAndRetireResult result = audit(world, true);

        assertThat(world.kms.totalWrites()).isZero();
        assertThat(world.atlas.patches()).isEmpty();
        assertThat(result.keys()).extracting(AuditedKey::decision)
                .containsExactlyInAnyOrder("schedule-deletion", "defer", "schedule-deletion");
        assertThat(result.keys()).allSatisfy(k -> assertThat(k.deletionDate()).isNull());
        assertThat(result.keys()).extracting(AuditedKey::state).doesNotContain("deletion-scheduled");
    }

    @Test
    void auditNeverDisablesAKey() {
        RotationWorld world = afterRotation();
        world.kms.seed().ledger(PROJECT, "b", KeyState.ABANDONED).create();
        world.atlas.snapshot("Cluster0", Kind.REPLICA_SET, null, START.minus(Duration.ofDays(1)), null);

        audit(world, false);

        assertThat(world.kms.writes("DisableKey")).isZero();
        assertThat(world.kms.keys()).allSatisfy(k -> assertThat(k.keyState()).isNotEqualTo("Disabled"));
    }

    @Test
    void audit_crashAfterEachWriteAndRerun_endsWithTheSameDeletionsAndTags() {
        int crashPoints = CrashAndRerun.assertSameEndStateAfterCrashAtEveryWrite(() -> {
            RotationWorld w = afterRotation();
            // deletable: tag (state), schedule
            w.kms.seed().ledger(PROJECT, "a", KeyState.ABANDONED)
                    .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(30)).toString()).create();
            // no retired-at: tag (retired-at + safe-after), deferred for the minimum retirement
            w.kms.seed().ledger(PROJECT, "d", KeyState.ABANDONED).create();
            // deferred by a snapshot: tag safe-after
            String deferred = w.kms.seed().ledger(PROJECT, "b", KeyState.RETIRED)
                    .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(10)).toString()).create();
            w.atlas.snapshot("Cluster0", Kind.REPLICA_SET, w.kms.key(deferred).keyId(),
                    START.minus(Duration.ofDays(12)), START.plus(Duration.ofDays(3)));
            // refused by a never-expiring snapshot, with a stale safe-after: untag
            String refused = w.kms.seed().ledger(PROJECT, "c", KeyState.RETIRED)
                    .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(20)).toString())
                    .tag(KeyTags.SAFE_AFTER, START.minus(Duration.ofDays(1)).toString()).create();
            w.atlas.snapshot("Shard0", Kind.SHARDED_CLUSTER, w.kms.key(refused).keyId(),
                    START.minus(Duration.ofDays(25)), null);
            return w;
        }, w -> audit(w, false));

        assertThat(crashPoints).as("retired key: tag+schedule, abandoned: tag+schedule, unstamped: tag, deferred: tag,"
                + " refused: untag").isEqualTo(7);
    }

    // ------------------------------------------------------------------ not while Atlas re-encrypts

    /**
     * Atlas switched to a new key, then was switched back (rollback); the clusters are still UPDATING and the
     * new key is already abandoned (as a run's next Preflight abandons a dead run's key; Rollback itself waits
     * for the clusters before it does).
     */
    private static CreateKeyResult rolledBackWhileUpdating(RotationWorld world) {
        CreateKeyResult newKey = world.createKey();
        world.grant(newKey);
        world.switchTo(newKey);
        RollbackResult first = new RollbackStep(world.deps()).rollback(new RollbackRequest(PROJECT, ROTATION,
                world.currentKeyId(), newKey.keyId(), "the deployment deadline passed"));
        assertThat(first.status()).isEqualTo(RollbackResult.WAITING);
        world.kms.tagResource(b -> b.keyId(newKey.keyArn()).tags(
                t -> t.tagKey(KeyTags.STATE).tagValue("abandoned"),
                t -> t.tagKey(KeyTags.RETIRED_AT).tagValue(world.clock.instant().toString())));
        return newKey;
    }

    @Test
    void auditSchedulesNothing_afterARollback_whileClustersAreStillReEncryptingBackToTheOldKey() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult abandoned = rolledBackWhileUpdating(world);
        assertThat(world.atlas.currentKey()).isEqualTo(world.currentKeyId());
        assertThat(world.atlas.clusterStates()).containsEntry("Cluster0", "UPDATING").containsEntry("Shard0", "UPDATING");
        world.resetRecording();

        AuditAndRetireResult result = audit(world, false);

        AuditedKey key = only(result);
        assertThat(key.keyId()).isEqualTo(abandoned.keyId());
        assertThat(key.decision()).isEqualTo("refuse");
        assertThat(key.safeAfter()).isNull();
        assertThat(key.deletionDate()).isNull();
        assertThat(key.state()).isEqualTo("abandoned");
        assertThat(key.reasons()).singleElement().satisfies(r -> assertThat(r)
                .contains("re-encrypting", "Cluster0 (UPDATING)", "Shard0 (UPDATING)", "next sweep will decide"));
        assertThat(world.kms.key(abandoned.keyArn()).pendingDeletion()).isFalse();
        assertThat(world.kms.totalWrites()).as("no deletion, no tag").isZero();
        assertThat(world.atlas.callCount("listClusters")).as("clusters read once").isEqualTo(1);
        assertThat(world.atlas.callCount("getEncryptionAtRest")).isEqualTo(1);
        assertThat(world.atlas.callCount("listReplicaSetSnapshots")).as("no decision, no snapshot read").isZero();
        assertThat(result.clustersAudited()).isZero();
    }

    @Test
    void auditSchedulesTheAbandonedKey_afterARollback_onceEveryClusterIsIdleAgain_andItsMinimumRetirementPassed() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult abandoned = rolledBackWhileUpdating(world);
        audit(world, false);
        world.atlas.finishUpdates();
        world.clock.advance(Duration.ofDays(MIN_RETIREMENT_DAYS + 1));

        AuditedKey key = only(audit(world, false));

        assertThat(key.keyId()).isEqualTo(abandoned.keyId());
        assertThat(key.decision()).isEqualTo("schedule-deletion");
        assertThat(world.kms.key(abandoned.keyArn()).pendingDeletion()).isTrue();
        assertThat(world.kms.key(world.currentKeyArn).pendingDeletion()).isFalse();
    }

    @Test
    void auditSchedulesNothing_whileANewKeySwitchIsStillReEncrypting_evenForAnOlderRetiredKey() {
        RotationWorld world = afterRotation();
        String olderRetired = retiredKey(world);
        world.atlas.state("Shard0", "UPDATING");
        world.resetRecording();

        AuditedKey key = only(audit(world, false));

        assertThat(key.keyId()).isEqualTo(world.kms.key(olderRetired).keyId());
        assertThat(key.decision()).isEqualTo("refuse");
        assertThat(key.reasons()).singleElement().satisfies(r -> assertThat(r)
                .contains("Shard0 (UPDATING)").doesNotContain("Cluster0"));
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void auditSchedulesNothing_whenAtlasReportsItsCurrentKeyNotValid() {
        RotationWorld world = afterRotation();
        String atlasKey = world.atlas.currentKey();
        world.atlas.rejectKey(atlasKey);
        world.resetRecording();

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("refuse");
        assertThat(key.reasons()).singleElement().satisfies(r -> assertThat(r)
                .contains(atlasKey, "not valid", "next sweep will decide").doesNotContain("IDLE"));
        assertThat(world.kms.key(retiredKey(world)).pendingDeletion()).isFalse();
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void auditWritesNoTagAtAll_whileAtlasReEncrypts_notEvenAMissingRetiredAtOrAStaleSafeAfter() {
        RotationWorld world = RotationWorld.managed();
        String noRetiredAt = world.kms.seed().ledger(PROJECT, "dead-rotation", KeyState.ABANDONED).create();
        String staleSafeAfter = world.kms.seed().ledger(PROJECT, "old", KeyState.RETIRED)
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(90)).toString())
                .tag(KeyTags.SAFE_AFTER, START.minus(Duration.ofDays(1)).toString()).create();
        String interrupted = world.kms.seed().ledger(PROJECT, "older", KeyState.DELETION_SCHEDULED)
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(200)).toString()).create();
        world.atlas.state("Cluster0", "REPAIRING");
        world.resetRecording();

        AuditAndRetireResult result = audit(world, false);

        assertThat(result.keys()).extracting(AuditedKey::decision).containsOnly("refuse").hasSize(3);
        assertThat(result.keys()).extracting(AuditedKey::state)
                .containsExactlyInAnyOrder("abandoned", "retired", "deletion-scheduled");
        assertThat(world.kms.totalWrites()).isZero();
        assertThat(world.kms.key(noRetiredAt).tag(KeyTags.RETIRED_AT)).isNull();
        assertThat(world.kms.key(staleSafeAfter).tag(KeyTags.SAFE_AFTER)).isEqualTo(START.minus(Duration.ofDays(1)).toString());
        assertThat(world.kms.key(interrupted).pendingDeletion()).isFalse();
    }

    @Test
    void auditStillDecides_whenOnlyAClusterNotEncryptedWithAwsKmsIsBusy() {
        RotationWorld world = afterRotation();
        world.atlas.cluster(new Cluster("Plain0", "REPLICASET", "UPDATING", "NONE", false, false));

        AuditedKey key = only(audit(world, false));

        assertThat(key.decision()).isEqualTo("schedule-deletion");
        assertThat(world.kms.key(retiredKey(world)).pendingDeletion()).isTrue();
    }
}
