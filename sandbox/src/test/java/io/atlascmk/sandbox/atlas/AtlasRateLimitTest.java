package io.atlascmk.sandbox.atlas;

import org.junit.jupiter.api.Test;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Atlas's Cloud Backups rate limit: one token bucket per project for the snapshot lists, the snapshots and
 * the backup schedule; an empty bucket answers 429 with Retry-After, as Atlas does. Small buckets that
 * refill slowly, so nothing here depends on how fast the test runs.
 */
class AtlasRateLimitTest extends AtlasSimulatorFixture {

    AtlasRateLimitTest() {
        super(Login.SERVICE_ACCOUNT);
    }

    @Override
    void seed() {
        project.addCluster(ClusterSpec.replicaSet("Orders").continuousBackup(7));
    }

    @Test
    void theCloudBackupsLimit_isOnByDefault_withAtlasOwnNumbers() {
        assertThat(atlas.cloudBackupsRateLimit()).isEqualTo(new AtlasRateLimit(1200, 500));
    }

    @Test
    void anEmptyBucket_answers429WithRetryAfter_andTheRateLimitHeaders() {
        // 3 tokens, and the next one a whole minute away
        atlas.cloudBackupsRateLimit(new AtlasRateLimit(3, 1));

        for (int i = 0; i < 3; i++) {
            client.get(API + "/clusters/Orders/backup/snapshots");
        }
        AtlasTestClient.Exchange refused = client.call("GET", API + "/clusters/Orders/backup/snapshots", null);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("errorCode").asText()).isEqualTo("RATE_LIMITED_TOKEN_BUCKET");
        assertThat(refused.json().get("detail").asText()).contains("Request capacity: 3", "Refill rate: 1 per 60 seconds");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(refused.header("RateLimit-Limit")).isEqualTo("3");
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(atlas.rateLimitedCalls()).isEqualTo(1);
        assertThat(atlas.callLog()).filteredOn(c -> c.operation() == AtlasOperation.LIST_REPLICA_SET_SNAPSHOTS)
                .extracting(CallRecord::status).containsExactly(200, 200, 200, 429);
    }

    @Test
    void theBucketIsShared_bySnapshotListsAndBackupSchedule_butNotByOtherEndpoints() {
        atlas.cloudBackupsRateLimit(new AtlasRateLimit(2, 1));

        client.get(API + "/clusters/Orders/backup/schedule");
        client.get(API + "/clusters/Orders/backup/snapshots/shardedClusters");
        int sharedBucketEmpty = client.call("GET", API + "/clusters/Orders/backup/snapshots", null).status();
        int clustersStillServed = client.call("GET", API + "/clusters", null).status();

        assertThat(sharedBucketEmpty).isEqualTo(429);
        assertThat(clustersStillServed).isEqualTo(200);
    }

    @Test
    void eachProjectHasItsOwnBucket() {
        atlas.cloudBackupsRateLimit(new AtlasRateLimit(1, 1));
        AtlasProject other = atlas.createProject("65f0a1b2c3d4e5f60123abcd");
        other.addCluster(ClusterSpec.replicaSet("Orders"));

        client.get(API + "/clusters/Orders/backup/snapshots");
        int otherProject = client.call("GET", "/api/atlas/v2/groups/65f0a1b2c3d4e5f60123abcd/clusters/Orders/backup/snapshots",
                null).status();
        int sameProject = client.call("GET", API + "/clusters/Orders/backup/snapshots", null).status();

        assertThat(otherProject).isEqualTo(200);
        assertThat(sameProject).isEqualTo(429);
    }

    @Test
    void turnedOff_noRequestIsRefused() {
        atlas.cloudBackupsRateLimit(null);

        for (int i = 0; i < 30; i++) {
            client.get(API + "/clusters/Orders/backup/snapshots");
        }

        assertThat(atlas.rateLimitedCalls()).isZero();
    }

    @Test
    void theCallLog_keepsEachRequestsQuery() {
        client.get(API + "/clusters/Orders/backup/snapshots?itemsPerPage=500&pageNum=2");

        assertThat(atlas.callLog()).filteredOn(c -> c.operation() == AtlasOperation.LIST_REPLICA_SET_SNAPSHOTS)
                .singleElement().extracting(CallRecord::query).isEqualTo("itemsPerPage=500&pageNum=2");
    }
}
