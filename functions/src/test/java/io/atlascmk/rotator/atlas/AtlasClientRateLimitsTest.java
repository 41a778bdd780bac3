package io.atlascmk.rotator.atlas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.sandbox.atlas.AtlasOperation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link AtlasClient#listRateLimits()} against the sandbox's Atlas simulator. */
class AtlasClientRateLimitsTest {

    private final SimulatedAtlas sim = new SimulatedAtlas();

    @AfterEach
    void stop() {
        sim.close();
    }

    private static RateLimitEndpointSet set(List<RateLimitEndpointSet> sets, String endpointSetId) {
        return sets.stream().filter(s -> s.endpointSetId().equals(endpointSetId)).findFirst().orElseThrow();
    }

    @Test
    void everyEndpointSetOfEveryScope_withTheLimitsAtlasApplies_andItsEndpoints() {
        List<RateLimitEndpointSet> sets = sim.client().listRateLimits();

        assertThat(sets).extracting(RateLimitEndpointSet::endpointSetId)
                .containsExactlyElementsOf(sim.atlas().rateLimitEndpointSetIds());
        assertThat(sets).extracting(RateLimitEndpointSet::scope).contains(RateLimitEndpointSet.GROUP,
                RateLimitEndpointSet.ORGANIZATION, RateLimitEndpointSet.USER, RateLimitEndpointSet.IP);
        RateLimitEndpointSet backups = set(sets, "cloudBackups_group");
        assertThat(backups).extracting(RateLimitEndpointSet::endpointSetName, RateLimitEndpointSet::scope,
                RateLimitEndpointSet::capacity, RateLimitEndpointSet::refillRate, RateLimitEndpointSet::refillDurationSeconds)
                .containsExactly("Cloud Backups", "GROUP", 1_200L, 500L, 60L);
        assertThat(backups.endpoints()).contains(new RateLimitEndpointSet.Endpoint("GET",
                "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots"));
        assertThat(sim.requestsOutsideTheContract(AtlasClient.MEDIA_TYPE_RATE_LIMITS)).isEmpty();
        assertThat(sim.atlas().calls(AtlasOperation.LIST_RATE_LIMITS)).isEqualTo(1);
    }

    @Test
    void anOverride_isReadAsTheCapacityAtlasApplies() {
        sim.atlas().overrideRateLimitCapacity("projects_user", 7);

        assertThat(set(sim.client().listRateLimits(), "projects_user").capacity()).isEqualTo(7L);
    }

    @Test
    void credentialsOffTheirAccessList_areForbidden_once_withoutRetries() {
        sim.atlas().removeFromAccessList(SimulatedAtlas.CLIENT_ID);

        assertThatThrownBy(() -> sim.client().listRateLimits()).isInstanceOf(AtlasForbiddenException.class)
                .hasMessageContaining("IP_ADDRESS_NOT_ON_ACCESS_LIST").hasMessageContaining("access list")
                .hasMessageNotContaining(SimulatedAtlas.CLIENT_SECRET);
        assertThat(sim.atlas().calls(AtlasOperation.LIST_RATE_LIMITS)).isEqualTo(1);
    }

    @Test
    void credentialsAtlasDoesNotKnow_areRefused() {
        AtlasClient stranger = sim.client(AtlasCredentials.serviceAccount("mdb_sa_id_stranger", "mdb_sa_sk_wrong"));

        assertThatThrownBy(stranger::listRateLimits).isInstanceOf(AtlasAuthenticationException.class)
                .hasMessageNotContaining("mdb_sa_sk_wrong");
    }
}
