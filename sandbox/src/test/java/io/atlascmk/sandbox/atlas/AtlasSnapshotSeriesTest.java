package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_A;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_B;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot series: many snapshots described once, listed like any other. */
class AtlasSnapshotSeriesTest extends AtlasSimulatorFixture {

    AtlasSnapshotSeriesTest() {
        super(Login.API_KEY);
    }

    private List<JsonNode> allPages(String path, int itemsPerPage) {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode json = client.get(path + "?itemsPerPage=" + itemsPerPage + "&pageNum=" + page).json();
            json.get("results").forEach(out::add);
            if (json.get("results").size() < itemsPerPage) {
                return out;
            }
        }
    }

    @Test
    void aSeries_isListedPageByPage_newestFirst_underItsKeys_withItsOwnIds() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupEnabled(false).backupEnabled(true)
                .backupPolicy(BackupPolicyItem.yearly(1)));
        project.addSnapshotSeries("Orders", SnapshotSeries.of(1200).every(Duration.ofHours(6))
                .retainedFor(Duration.ofDays(400)).key(KEY_A, 1000).key(KEY_B, 200));

        List<JsonNode> listed = allPages(API + "/clusters/Orders/backup/snapshots", 500);

        assertThat(listed).hasSize(1200);
        assertThat(client.get(API + "/clusters/Orders/backup/snapshots?itemsPerPage=10").json().get("totalCount").asInt())
                .isEqualTo(1200);
        assertThat(listed.get(0).get("createdAt").asText()).isEqualTo(AtlasJson.time(T0));
        assertThat(listed.get(1).get("createdAt").asText()).isEqualTo(AtlasJson.time(T0.minus(Duration.ofHours(6))));
        assertThat(listed.get(999).get("masterKeyUUID").asText()).isEqualTo(KEY_A);
        assertThat(listed.get(1000).get("masterKeyUUID").asText()).isEqualTo(KEY_B);
        assertThat(listed.get(0).get("expiresAt").asText()).isEqualTo(AtlasJson.time(T0.plus(Duration.ofDays(400))));
        Set<String> ids = new HashSet<>();
        listed.forEach(s -> ids.add(s.get("id").asText()));
        assertThat(ids).hasSize(1200);
        String one = listed.get(777).get("id").asText();
        assertThat(client.get(API + "/clusters/Orders/backup/snapshots/" + one).json().get("createdAt").asText())
                .isEqualTo(listed.get(777).get("createdAt").asText());
    }

    @Test
    void aSeries_mergesWithTheClustersOtherSnapshots_inTimeOrder() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupPolicy(BackupPolicyItem.yearly(1)));
        Instant between = T0.minus(Duration.ofHours(1)).minus(Duration.ofMinutes(30));
        String seeded = project.addSnapshot("Orders", SnapshotSeed.takenAt(between).key(KEY_B));
        project.addSnapshotSeries("Orders", SnapshotSeries.of(5).every(Duration.ofHours(1)).key(KEY_A, 5));

        List<JsonNode> listed = allPages(API + "/clusters/Orders/backup/snapshots", 500);

        assertThat(listed).extracting(s -> s.get("masterKeyUUID").asText())
                .containsExactly(KEY_A, KEY_A, KEY_B, KEY_A, KEY_A, KEY_A);
        assertThat(listed.get(2).get("id").asText()).isEqualTo(seeded);
    }

    @Test
    void aSeries_expiresOneSnapshotAtATime_asTheClockMoves() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupPolicy(BackupPolicyItem.yearly(1)));
        project.addSnapshotSeries("Orders", SnapshotSeries.of(100).every(Duration.ofDays(1))
                .retainedFor(Duration.ofDays(50)).key(KEY_A, 100));

        int now = client.get(API + "/clusters/Orders/backup/snapshots").json().get("totalCount").asInt();
        clock.advance(Duration.ofDays(10));
        int later = client.get(API + "/clusters/Orders/backup/snapshots").json().get("totalCount").asInt();

        assertThat(now).isEqualTo(50);
        assertThat(later).isEqualTo(40);
    }

    @Test
    void aSeriesOfAShardedCluster_isInTheShardedList_withItsMembers_andConformsToTheContract() {
        project.addCluster(ClusterSpec.sharded("Events", 2).backupPolicy(BackupPolicyItem.yearly(1)));
        project.addSnapshotSeries("Events", SnapshotSeries.of(700).every(Duration.ofHours(2)).key(KEY_A, 700));

        JsonNode sharded = client.get(API + "/clusters/Events/backup/snapshots/shardedClusters").json();
        JsonNode replicaSetList = client.get(API + "/clusters/Events/backup/snapshots").json();

        assertThat(sharded.get("totalCount").asInt()).isEqualTo(700);
        assertThat(sharded.get("results")).hasSize(700);
        assertThat(sharded.get("results").get(699).get("members")).extracting(m -> m.get("replicaSetName").asText())
                .containsExactly("Events-shard-0", "Events-shard-1", "Events-config-0");
        assertThat(replicaSetList.get("totalCount").asInt()).isZero();
    }

    @Test
    void aDeletedClustersSeries_keepsItListedWithRetainedBackups_untilTheLastExpires() {
        project.addCluster(ClusterSpec.replicaSet("Old").backupPolicy(BackupPolicyItem.yearly(1)));
        project.addSnapshotSeries("Old", SnapshotSeries.of(3).every(Duration.ofDays(1)).retainedFor(Duration.ofDays(5))
                .key(KEY_A, 3));
        project.deleteCluster("Old", true);

        int listedNow = client.get(API + "/clusters?includeDeletedWithRetainedBackups=true").json().get("totalCount").asInt();
        clock.advance(Duration.ofDays(5));
        int listedLater = client.get(API + "/clusters?includeDeletedWithRetainedBackups=true").json().get("totalCount").asInt();

        assertThat(listedNow).isEqualTo(1);
        assertThat(listedLater).isZero();
    }

    @Test
    void theLatency_delaysEveryAnswer_withoutChangingIt() {
        project.addCluster(ClusterSpec.replicaSet("Orders"));
        atlas.latency(Duration.ofMillis(20));

        JsonNode clusters = client.get(API + "/clusters").json();

        assertThat(clusters.get("totalCount").asInt()).isEqualTo(1);
    }
}
