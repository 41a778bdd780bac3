package io.atlascmk.rotator.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.AtlasRateLimitedException;
import io.atlascmk.rotator.atlas.AtlasUnavailableException;
import io.atlascmk.rotator.atlas.RateLimit;
import io.atlascmk.rotator.atlas.RetryPolicy;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.atlas.AtlasRateLimit;
import io.atlascmk.sandbox.atlas.CallRecord;
import io.atlascmk.sandbox.atlas.ClusterSpec;
import io.atlascmk.sandbox.atlas.SnapshotSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AuditAndRetire against the Atlas simulator over HTTP, with lists long enough to take several pages:
 * every page is read once and only once, several at once, within Atlas's Cloud Backups rate limit, and a
 * failure in the middle of a list never ends in a deletion.
 *
 * <p>The project: replica sets Orders0..2 of 1,600 snapshots each (4 pages of 500), sharded cluster
 * Shard0 of 700 (its list has no pages) and continuous-backup replica set Pit0 of 200, one snapshot
 * every 6 hours back from now. The smallest number of Cloud Backups calls that reads it all is 20: 14
 * replica-set pages (4 per Orders cluster, and one each for Shard0 and Pit0, whose lists have a single
 * page), 5 sharded lists and Pit0's backup schedule.
 */
class StreamingAuditTest {

    private static final int PAGES_PER_ORDERS_CLUSTER = 4;
    private static final int MINIMUM_CLOUD_BACKUPS_CALLS = 3 * PAGES_PER_ORDERS_CLUSTER + 2 + 5 + 1;
    /** Retries that do not wait (the client's sleeper does not sleep), two of them. */
    private static final RetryPolicy QUICK_RETRIES = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1),
            Duration.ofMinutes(1), Duration.ofSeconds(1));

    private final SimulatedProject project = new SimulatedProject();

    @AfterEach
    void close() {
        project.close();
    }

    /**
     * Seeds the clusters. Snapshots of the last 60 days are under the current key; older ones under the
     * retired key when {@code retiredKeyHeld}, else under the current key too (the retired key is then free).
     */
    private void seed(boolean retiredKeyHeld) {
        String current = project.world.currentKeyId();
        for (int i = 0; i < 3; i++) {
            project.atlasProject.addCluster(ClusterSpec.replicaSet("Orders" + i));
            project.atlasProject.addSnapshotSeries("Orders" + i, series(1600, current, retiredKeyHeld));
        }
        project.atlasProject.addCluster(ClusterSpec.sharded("Shard0", 3));
        project.atlasProject.addSnapshotSeries("Shard0", series(700, current, retiredKeyHeld));
        project.atlasProject.addCluster(ClusterSpec.replicaSet("Pit0").continuousBackup(7));
        project.atlasProject.addSnapshotSeries("Pit0", series(200, current, retiredKeyHeld));
    }

    /** One every 6 hours, kept 500 days: the newest 240 (60 days) under the current key. */
    private SnapshotSeries series(int count, String currentKey, boolean retiredKeyHeld) {
        SnapshotSeries s = SnapshotSeries.of(count).every(Duration.ofHours(6)).retainedFor(Duration.ofDays(500));
        if (!retiredKeyHeld) {
            return s.key(currentKey, count);
        }
        s.key(currentKey, Math.min(count, 240));
        return count > 240 ? s.key(project.retiredKey, count - 240) : s;
    }

    private AuditedKey retired(AuditAndRetireResult result) {
        return result.keys().stream().filter(k -> k.keyId().equals(project.retiredKey)).findFirst().orElseThrow();
    }

    /** Cloud Backups calls by path and page (the replica-set lists' pageNum; 0 for the others). */
    private Map<String, Long> callsPerPage() {
        return project.cloudBackupsCalls().stream().collect(Collectors.groupingBy(
                c -> c.path() + " page " + pageNum(c), Collectors.counting()));
    }

    private static int pageNum(CallRecord c) {
        if (c.query() == null) {
            return 0;
        }
        for (String p : c.query().split("&")) {
            if (p.startsWith("pageNum=")) {
                return Integer.parseInt(p.substring(8));
            }
        }
        return 0;
    }

    @Test
    void theAuditReadsEveryPageOnce_withoutA429_whenTheCallsOutnumberTheBurst() {
        seed(true);
        // A bucket of 12 for 20 calls: without keeping to it, 8 requests at once would empty it and provoke 429s.
        project.atlas.cloudBackupsRateLimit(new AtlasRateLimit(12, 600));
        AtlasClient client = project.client(new RateLimit(12, 600), QUICK_RETRIES);

        AuditAndRetireResult result = project.audit(client);

        assertThat(project.atlas.rateLimitedCalls()).isZero();
        assertThat(project.atlas.callLog()).extracting(CallRecord::status).doesNotContain(429);
        assertThat(project.cloudBackupsCalls()).hasSize(MINIMUM_CLOUD_BACKUPS_CALLS);
        assertThat(callsPerPage()).hasSize(MINIMUM_CLOUD_BACKUPS_CALLS).allSatisfy((page, calls) -> assertThat(calls)
                .as(page).isEqualTo(1));
        for (int i = 0; i < 3; i++) {
            String path = "/api/atlas/v2/groups/" + RotationWorld.PROJECT + "/clusters/Orders" + i + "/backup/snapshots";
            assertThat(project.calls(AtlasOperation.LIST_REPLICA_SET_SNAPSHOTS)).filteredOn(c -> c.path().equals(path))
                    .extracting(StreamingAuditTest::pageNum).containsExactlyInAnyOrder(1, 2, 3, 4);
        }
        // The decision: the retired key holds the snapshots older than 60 days; the newest of them expires last.
        AuditedKey key = retired(result);
        Instant newestUnderRetiredKey = RotationWorld.START.minus(Duration.ofHours(6L * 240));
        assertThat(key.decision()).isEqualTo(AuditedKey.DEFER);
        assertThat(key.safeAfter()).isEqualTo(newestUnderRetiredKey.plus(Duration.ofDays(500)));
        assertThat(key.evidence()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Orders0", 1360, "Orders1", 1360, "Orders2", 1360, "Shard0", 460));
        assertThat(result.snapshotsAudited()).isEqualTo(3 * 1600 + 700 + 200);
        assertThat(result.clustersAudited()).isEqualTo(5);
        assertThat(project.world.kms.writes("ScheduleKeyDeletion")).isZero();
    }

    @Test
    void theSameAtlasReadWholeAtOnceAndStreamed_givesTheSameDecisions() {
        seed(true);
        AtlasClient client = project.client(RateLimit.ATLAS_CLOUD_BACKUPS, QUICK_RETRIES);
        AuditAndRetireRequest dryRun = new AuditAndRetireRequest(RotationWorld.PROJECT, RotationWorld.ROTATION, true,
                30, List.of(), 7);

        AuditAndRetireResult streamed = new AuditAndRetireStep(project.deps(client)).audit(dryRun);
        // The same project's snapshots, read as whole lists (one list after another) and decided by the policy.
        Map<String, ClusterBackups> whole = new HashMap<>();
        for (var c : client.listClusters(RotationWorld.PROJECT)) {
            List<io.atlascmk.rotator.atlas.Snapshot> all = new java.util.ArrayList<>(
                    client.listReplicaSetSnapshots(RotationWorld.PROJECT, c.name()));
            all.addAll(client.listShardedClusterSnapshots(RotationWorld.PROJECT, c.name()));
            whole.put(c.name(), ClusterBackups.of(c, c.pitEnabled() ? client.getBackupSchedule(RotationWorld.PROJECT,
                    c.name()) : null, all));
        }
        var retiredKey = project.world.keys.describe(project.retiredKey);
        RetirementDecision byLists = RetirementPolicy.decide(RetirementInput.of(retiredKey, RotationWorld.PROJECT,
                client.getEncryptionAtRest(RotationWorld.PROJECT).awsKms(), List.copyOf(whole.values()),
                java.util.Set.of(project.world.currentKeyId(), project.retiredKey), Duration.ofDays(7),
                project.world.clock.instant()));

        AuditedKey key = retired(streamed);
        assertThat(key.safeAfter()).isEqualTo(byLists.safeAfter());
        assertThat(key.reasons()).containsExactlyInAnyOrderElementsOf(
                byLists.reasons().stream().map(RetirementReason::message).toList());
    }

    @Test
    void aClientThatDoesNotKeepTheLimit_provokes429s_andWithoutRetriesTheAuditFailsAndDeletesNothing() {
        seed(false);
        project.atlas.cloudBackupsRateLimit(new AtlasRateLimit(12, 600));
        AtlasClient careless = project.client(null, RetryPolicy.noRetries());

        assertThatThrownBy(() -> project.audit(careless)).isInstanceOf(AtlasRateLimitedException.class)
                .hasMessageContaining("429");

        assertThat(project.atlas.rateLimitedCalls()).isPositive();
        assertThat(project.world.kms.writes("ScheduleKeyDeletion")).isZero();
        assertThat(project.world.kms.writes("TagResource")).isZero();
        assertThat(project.world.kms.key(project.retiredKey).ledgerState()).isEqualTo(KeyState.RETIRED);
    }

    @Test
    void anOutageInTheMiddleOfTheLists_failsTheAuditWithoutDeletingAnything_andTheNextAuditDecides() {
        seed(false);
        // Three replica-set pages are answered; from then on Atlas fails every one (and every retry).
        project.atlas.faults().failAfter(AtlasOperation.LIST_REPLICA_SET_SNAPSHOTS, 3, 1000, 500);
        AtlasClient client = project.client(RateLimit.ATLAS_CLOUD_BACKUPS, QUICK_RETRIES);

        assertThatThrownBy(() -> project.audit(client)).isInstanceOf(AtlasUnavailableException.class)
                .hasMessageContaining("/backup/snapshots").hasMessageContaining("500");

        assertThat(project.world.kms.writes("ScheduleKeyDeletion")).isZero();
        assertThat(project.world.kms.writes("TagResource")).isZero();
        assertThat(project.world.kms.key(project.retiredKey).pendingDeletion()).isFalse();

        project.atlas.faults().clear();
        AuditedKey next = retired(project.audit(client));
        assertThat(next.decision()).as("the same project read whole frees the key").isEqualTo(AuditedKey.SCHEDULE_DELETION);
    }

    @Test
    void one429InTheMiddleOfAList_isWaitedOut_andOnlyThatPageIsAskedAgain() {
        seed(false);
        project.atlas.faults().throttleAfter(AtlasOperation.LIST_REPLICA_SET_SNAPSHOTS, 5, 1, 1);
        AtlasClient client = project.client(RateLimit.ATLAS_CLOUD_BACKUPS, QUICK_RETRIES);

        AuditedKey key = retired(project.audit(client));

        assertThat(key.decision()).isEqualTo(AuditedKey.SCHEDULE_DELETION);
        assertThat(project.cloudBackupsCalls()).hasSize(MINIMUM_CLOUD_BACKUPS_CALLS + 1);
        assertThat(project.cloudBackupsCalls()).extracting(CallRecord::status).containsOnlyOnce(429);
        Map<String, Long> perPage = callsPerPage();
        assertThat(perPage).hasSize(MINIMUM_CLOUD_BACKUPS_CALLS);
        assertThat(perPage.values()).containsOnlyOnce(2L);
    }

    @Test
    void aSurveyOutOfTime_keepsEveryKey_sayingTheReadWasIncomplete_andWritesNothing() {
        seed(false);
        AtlasClient client = project.client(RateLimit.ATLAS_CLOUD_BACKUPS, QUICK_RETRIES);

        AuditAndRetireResult result = project.audit(new AuditAndRetireStep(project.deps(client), Duration.ZERO));

        AuditedKey key = retired(result);
        assertThat(key.decision()).isEqualTo(AuditedKey.REFUSE);
        assertThat(key.reasons()).singleElement().asString().contains("time budget").contains("no key is deleted");
        assertThat(project.world.kms.writes("ScheduleKeyDeletion")).isZero();
        assertThat(project.world.kms.writes("TagResource")).isZero();
    }
}
