package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_A;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_B;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_B_ARN;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_C;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.T0;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.awsKmsBody;
import static org.assertj.core.api.Assertions.assertThat;

/** Cloud Backup: scheduled snapshots on the sandbox clock, both snapshot lists, the backup schedule. */
class AtlasSnapshotsTest extends AtlasSimulatorFixture {

    AtlasSnapshotsTest() {
        // Digest (API key) auth here: these tests move the clock by days, past any access token's hour.
        super(Login.API_KEY);
    }

    @Test
    void scheduledSnapshots_recordTheKeyActiveWhenTheyWereTaken_andDisappearWhenExpired() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupPolicy(BackupPolicyItem.hourly(6, 1)));

        // Nobody looks for 12 hours; then the key is switched (to an ARN). Snapshots are computed lazily,
        // yet the two taken before the switch must carry the old key.
        clock.advance(Duration.ofHours(12));
        client.patch(API + "/encryptionAtRest", awsKmsBody(KEY_B_ARN, "US_EAST_1", roleId));
        clock.advance(Duration.ofHours(13));

        List<JsonNode> snaps = replicaSetSnapshots("Orders");
        assertThat(summary(snaps)).containsExactly(
                "2025-03-02T00:00:00Z " + KEY_B,
                "2025-03-01T18:00:00Z " + KEY_B,
                "2025-03-01T12:00:00Z " + KEY_A,
                "2025-03-01T06:00:00Z " + KEY_A);
        assertThat(snaps.get(3).get("expiresAt").asText()).isEqualTo("2025-03-02T06:00:00Z");
        assertThat(snaps.get(3).get("snapshotType").asText()).isEqualTo("scheduled");
        assertThat(snaps.get(3).get("frequencyType").asText()).isEqualTo("hourly");
        assertThat(snaps.get(3).get("status").asText()).isEqualTo("completed");
        assertThat(snaps.get(3).get("id").asText()).matches("[0-9a-f]{24}");

        clock.advance(Duration.ofHours(6)); // 2025-03-02T07:00: the 06:00 snapshot of day one has expired

        assertThat(summary(replicaSetSnapshots("Orders"))).containsExactly(
                "2025-03-02T06:00:00Z " + KEY_B,
                "2025-03-02T00:00:00Z " + KEY_B,
                "2025-03-01T18:00:00Z " + KEY_B,
                "2025-03-01T12:00:00Z " + KEY_A);
        assertThat(project.snapshots("Orders")).extracting(SnapshotRecord::masterKeyUUID).containsExactly(KEY_B, KEY_B, KEY_B, KEY_A);
    }

    @Test
    void ticksOfSeveralPolicyItemsAtOneInstant_makeOneSnapshotKeptForTheLongestRetention() {
        project.addCluster(ClusterSpec.replicaSet("Orders")); // Atlas's default policy

        clock.advance(Duration.ofDays(7));

        List<SnapshotRecord> snaps = project.snapshots("Orders");
        SnapshotRecord weekly = snaps.get(0);
        assertThat(weekly.createdAt()).isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThat(weekly.frequencyType()).isEqualTo("weekly");
        assertThat(weekly.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(7 + 28)));
        assertThat(weekly.policyItemIds()).hasSize(3); // hourly, daily and weekly items all fired
        SnapshotRecord daily = snaps.stream().filter(s -> s.createdAt().equals(T0.plus(Duration.ofDays(1)))).findFirst().orElseThrow();
        assertThat(daily.frequencyType()).isEqualTo("daily");
        assertThat(daily.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(8)));
        // the 6-hourly ones of the last 2 days (8, days 6 and 7 among them) and the daily ones of days 1 to 5
        assertThat(snaps).hasSize(8 + 5);
        assertThat(snaps).allSatisfy(s -> assertThat(s.masterKeyUUID()).isEqualTo(KEY_A));
    }

    @Test
    void shardedCluster_snapshotsAreInTheShardedList_withAMemberPerShardAndConfigServer() {
        project.addCluster(ClusterSpec.sharded("Events", 2).backupPolicy(BackupPolicyItem.daily(3)));
        clock.advance(Duration.ofDays(2));

        JsonNode sharded = client.get(API + "/clusters/Events/backup/snapshots/shardedClusters").json();
        JsonNode replicaSetList = client.get(API + "/clusters/Events/backup/snapshots").json();

        assertThat(sharded.get("totalCount").asInt()).isEqualTo(2);
        JsonNode first = sharded.get("results").get(0);
        assertThat(first.get("type").asText()).isEqualTo("shardedCluster");
        assertThat(first.get("masterKeyUUID").asText()).isEqualTo(KEY_A);
        assertThat(first.get("members")).extracting(m -> m.get("replicaSetName").asText())
                .containsExactly("Events-shard-0", "Events-shard-1", "Events-config-0");
        assertThat(first.get("snapshotIds")).hasSize(3);
        // The replica-set list of a sharded cluster is empty: a client must ask the sharded list.
        assertThat(replicaSetList.get("totalCount").asInt()).isZero();
        assertThat(replicaSetList.get("results")).isEmpty();

        String id = first.get("id").asText();
        assertThat(client.get(API + "/clusters/Events/backup/snapshots/shardedCluster/" + id).json().get("id").asText()).isEqualTo(id);
        AtlasTestClient.Exchange wrongKind = client.call("GET", API + "/clusters/Events/backup/snapshots/" + id, null);
        assertThat(wrongKind.status()).isEqualTo(404);
        assertThat(wrongKind.json().get("errorCode").asText()).isEqualTo("SNAPSHOT_NOT_FOUND");
    }

    @Test
    void replicaSet_shardedListIsEmpty_andSingleSnapshotCanBeRead() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupPolicy(BackupPolicyItem.daily(3)));
        clock.advance(Duration.ofDays(1));

        JsonNode sharded = client.get(API + "/clusters/Orders/backup/snapshots/shardedClusters").json();
        String id = replicaSetSnapshots("Orders").get(0).get("id").asText();
        JsonNode one = client.get(API + "/clusters/Orders/backup/snapshots/" + id).json();

        assertThat(sharded.get("results")).isEmpty();
        assertThat(one.get("replicaSetName").asText()).isEqualTo("Orders");
        assertThat(one.get("type").asText()).isEqualTo("replicaSet");
        assertThat(one.get("masterKeyUUID").asText()).isEqualTo(KEY_A);
    }

    @Test
    void seededSnapshotWithoutExpiresAt_neverExpires_andOnDemandSnapshotsUseTheCurrentKey() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupEnabled(true).backupPolicy(BackupPolicyItem.yearly(1)));
        Instant longAgo = T0.minus(Duration.ofDays(400));
        String legacy = project.addSnapshot("Orders", SnapshotSeed.takenAt(longAgo).key("arn:aws:kms:us-east-1:111122223333:key/" + KEY_C.toUpperCase()));
        String monthly = project.addSnapshot("Orders", SnapshotSeed.takenAt(longAgo).retainedFor(Duration.ofDays(500)).key(KEY_B).frequencyType("monthly"));
        SnapshotRecord onDemand = project.takeOnDemandSnapshot("Orders", Duration.ofDays(3));

        assertThat(onDemand.snapshotType()).isEqualTo("onDemand");
        assertThat(onDemand.masterKeyUUID()).isEqualTo(KEY_A);
        assertThat(onDemand.frequencyType()).isNull();
        assertThat(replicaSetSnapshots("Orders")).extracting(s -> s.get("id").asText()).containsExactly(onDemand.id(), monthly, legacy);

        clock.advance(Duration.ofDays(50)); // the on-demand one (3 days) has expired
        assertThat(replicaSetSnapshots("Orders")).extracting(s -> s.get("id").asText()).containsExactly(monthly, legacy);

        clock.advance(Duration.ofDays(100)); // so has the 500-day one taken 400 days before T0

        List<JsonNode> snaps = replicaSetSnapshots("Orders");
        assertThat(snaps).extracting(s -> s.get("id").asText()).containsExactly(legacy);
        assertThat(snaps.get(0).has("expiresAt")).isFalse();
        assertThat(snaps.get(0).get("masterKeyUUID").asText()).isEqualTo(KEY_C); // ARN normalised to the lower-case key id
    }

    @Test
    void clusterWithoutCustomerKeyManagement_snapshotsHaveNoMasterKey() {
        project.addCluster(ClusterSpec.replicaSet("Scratch").encryptionAtRestProvider("NONE").backupPolicy(BackupPolicyItem.daily(2)));
        clock.advance(Duration.ofDays(1));

        JsonNode snap = replicaSetSnapshots("Scratch").get(0);

        assertThat(snap.has("masterKeyUUID")).isFalse();
    }

    @Test
    void backupSchedule_givesTheRestoreWindow_forContinuousBackupOnly() {
        project.addCluster(ClusterSpec.replicaSet("Orders").continuousBackup(3));
        project.addCluster(ClusterSpec.replicaSet("Events"));
        project.addCluster(ClusterSpec.replicaSet("Scratch").backupEnabled(false));

        JsonNode pit = client.get(API + "/clusters/Orders/backup/schedule").json();
        JsonNode pitNewVersion = client.send("GET", API + "/clusters/Orders/backup/schedule", AtlasTestClient.V2024, null)
                .assertConforms().assertStatus(200).json();
        JsonNode plain = client.get(API + "/clusters/Events/backup/schedule").json();
        AtlasTestClient.Exchange none = client.call("GET", API + "/clusters/Scratch/backup/schedule", null);
        JsonNode cluster = client.get(API + "/clusters/Orders").json();

        assertThat(pit.get("restoreWindowDays").asInt()).isEqualTo(3);
        assertThat(pitNewVersion.get("restoreWindowDays").asInt()).isEqualTo(3);
        assertThat(pit.get("clusterName").asText()).isEqualTo("Orders");
        assertThat(pit.get("nextSnapshot").asText()).isEqualTo("2025-03-01T06:00:00Z");
        assertThat(pit.get("policies").get(0).get("policyItems")).extracting(i -> i.get("frequencyType").asText())
                .containsExactly("hourly", "daily", "weekly", "monthly");
        assertThat(plain.has("restoreWindowDays")).isFalse();
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("errorCode").asText()).isEqualTo("BACKUP_CONFIG_NOT_FOUND");
        assertThat(cluster.get("pitEnabled").asBoolean()).isTrue();
        assertThat(cluster.get("backupEnabled").asBoolean()).isTrue();
    }

    @Test
    void deletedClusterWithRetainedBackups_leavesTheClusterList_butItsSnapshotsStayListedUntilTheyExpire() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupPolicy(BackupPolicyItem.daily(5)));
        project.addCluster(ClusterSpec.replicaSet("Gone").backupPolicy(BackupPolicyItem.daily(5)));
        clock.advance(Duration.ofDays(2));
        project.deleteCluster("Gone", true);

        clock.advance(Duration.ofDays(2));
        JsonNode clusters = client.get(API + "/clusters").json();
        List<JsonNode> kept = replicaSetSnapshots("Gone");
        AtlasTestClient.Exchange get = client.call("GET", API + "/clusters/Gone", null);

        assertThat(clusters.get("results")).extracting(c -> c.get("name").asText()).containsExactly("Orders");
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().get("errorCode").asText()).isEqualTo("CLUSTER_NOT_FOUND");
        assertThat(kept).hasSize(2); // days 1 and 2; none after the deletion

        clock.advance(Duration.ofDays(4));
        assertThat(replicaSetSnapshots("Gone")).isEmpty();
    }

    @Test
    void deletedClusterWithRetainedBackups_isListedOnlyWhenAsked_untilItsLastSnapshotExpires() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupPolicy(BackupPolicyItem.daily(5)));
        project.addCluster(ClusterSpec.replicaSet("Kept").backupPolicy(BackupPolicyItem.daily(5)));
        project.addCluster(ClusterSpec.replicaSet("Dropped").backupPolicy(BackupPolicyItem.daily(5)));
        clock.advance(Duration.ofDays(2));
        project.deleteCluster("Kept", true);
        project.deleteCluster("Dropped", false);

        JsonNode plain = client.get(API + "/clusters").json();
        JsonNode withRetained = client.get(API + "/clusters?includeDeletedWithRetainedBackups=true").json();
        AtlasTestClient.Exchange droppedSnapshots = client.call("GET", API + "/clusters/Dropped/backup/snapshots", null);

        assertThat(names(plain)).containsExactly("Orders");
        assertThat(names(withRetained)).containsExactly("Orders", "Kept");
        assertThat(withRetained.get("results").get(1).get("retainBackups").asBoolean()).isTrue();
        assertThat(withRetained.get("totalCount").asInt()).isEqualTo(2);
        assertThat(droppedSnapshots.status()).isEqualTo(404);

        clock.advance(Duration.ofDays(6)); // every snapshot of Kept has expired
        assertThat(names(client.get(API + "/clusters?includeDeletedWithRetainedBackups=true").json())).containsExactly("Orders");
    }

    @Test
    void aBackupCompliancePolicy_keepsTheSnapshotsOfADeletedCluster_whateverTheDeletionAsked() {
        project.enableBackupCompliancePolicy();
        project.addCluster(ClusterSpec.replicaSet("Regulated").backupPolicy(BackupPolicyItem.daily(5)));
        clock.advance(Duration.ofDays(2));
        project.deleteCluster("Regulated", false);

        assertThat(names(client.get(API + "/clusters?includeDeletedWithRetainedBackups=true").json())).containsExactly("Regulated");
        assertThat(replicaSetSnapshots("Regulated")).hasSize(2);
    }

    @Test
    void includeDeletedWithRetainedBackups_mustBeABoolean() {
        AtlasTestClient.Exchange e = client.send("GET", API + "/clusters?includeDeletedWithRetainedBackups=yes",
                AtlasTestClient.V2024, null);

        e.assertRequestRejectedByContract("validation.request.parameter.schema.invalidJson").assertOutsideContractStatusWithEnvelope();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.json().get("errorCode").asText()).isEqualTo("INVALID_PARAMETER");
    }

    @Test
    void aPausedCluster_takesNoSnapshots_andIsReEncryptedUnderANewKeyOnlyWhenItResumes() {
        project.addCluster(ClusterSpec.replicaSet("Sleepy").backupPolicy(BackupPolicyItem.daily(5)));
        project.addCluster(ClusterSpec.replicaSet("Awake").backupPolicy(BackupPolicyItem.daily(5)));
        clock.advance(Duration.ofDays(1));
        project.pauseCluster("Sleepy");
        clock.advance(Duration.ofDays(2));

        client.patch(API + "/encryptionAtRest", AtlasFixtures.awsKmsBody(KEY_B, "US_EAST_1", roleId));
        JsonNode sleepy = client.get(API + "/clusters/Sleepy").json();
        JsonNode awake = client.get(API + "/clusters/Awake").json();

        assertThat(sleepy.get("paused").asBoolean()).isTrue();
        assertThat(sleepy.get("stateName").asText()).as("nothing to re-encrypt while paused").isEqualTo("IDLE");
        assertThat(awake.get("stateName").asText()).isEqualTo("UPDATING");
        assertThat(replicaSetSnapshots("Sleepy")).as("one before the pause, none during it").hasSize(1);

        project.resumeCluster("Sleepy");
        JsonNode resumed = client.get(API + "/clusters/Sleepy").json();
        assertThat(resumed.get("paused").asBoolean()).isFalse();
        assertThat(resumed.get("stateName").asText()).as("re-encrypting under the new key").isEqualTo("UPDATING");
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("results").forEach(c -> out.add(c.get("name").asText()));
        return out;
    }

    @Test
    void snapshotsOfAClusterThatNeverExisted_areNotFound() {
        AtlasTestClient.Exchange e = client.call("GET", API + "/clusters/Nope/backup/snapshots", null);

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.json().get("errorCode").asText()).isEqualTo("CLUSTER_NOT_FOUND");
    }

    private List<JsonNode> replicaSetSnapshots(String cluster) {
        List<JsonNode> out = new ArrayList<>();
        client.get(API + "/clusters/" + cluster + "/backup/snapshots?itemsPerPage=500").json().get("results").forEach(out::add);
        return out;
    }

    private static List<String> summary(List<JsonNode> snaps) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : snaps) {
            out.add(s.get("createdAt").asText() + " " + s.get("masterKeyUUID").asText());
        }
        return out;
    }
}
