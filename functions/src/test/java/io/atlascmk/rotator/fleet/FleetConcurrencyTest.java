package io.atlascmk.rotator.fleet;

import static io.atlascmk.rotator.fleet.FleetConcurrency.SOURCE_CONFIGURED;
import static io.atlascmk.rotator.fleet.FleetConcurrency.SOURCE_DEFAULT;
import static io.atlascmk.rotator.fleet.FleetConcurrency.SOURCE_RATE_LIMITS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.atlas.AtlasCredentials;
import io.atlascmk.rotator.atlas.RateLimitEndpointSet;
import io.atlascmk.rotator.atlas.SimulatedAtlas;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How many projects a fleet run rotates at once, from Atlas's rate limits as the sandbox's Atlas simulator lists them
 * (Atlas's published table; lowered with the simulator's overrides, as Atlas can lower them for an organization or a
 * set of credentials), and what stands when they cannot be read.
 */
class FleetConcurrencyTest {

    private final SimulatedAtlas sim = new SimulatedAtlas();
    private final FleetConcurrency concurrency = FleetConcurrency.reading(sim.client());

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void atlasPublishedLimits_holdTheLargestFleet_theConfiguredNumberStands_capAt40() {
        FleetConcurrency.Decision decision = concurrency.decide(40, true);

        assertThat(decision.maxConcurrency()).isEqualTo(40);
        assertThat(decision.source()).isEqualTo(SOURCE_CONFIGURED);
        // GET /groups is the only user-scoped endpoint a project's execution calls: 1,200 / 1
        assertThat(decision.reason()).contains("allow 1200 at once").contains("Projects, scope USER: capacity 1200, 1 call")
                .contains("the configured 40 stands").contains("Project-scoped limits");
        assertThat(sim.atlas().calls(AtlasOperation.LIST_RATE_LIMITS)).isEqualTo(1);
        assertThatThrownBy(() -> concurrency.decide(41, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSharedLimitAtlasLowered_lowersTheRun_toItsCapacityOverTheCallsOneProjectMakes() {
        sim.atlas().overrideRateLimitCapacity("projects_user", 3);

        FleetConcurrency.Decision decision = concurrency.decide(FleetConcurrency.DEFAULT_MAX_CONCURRENCY, false);

        assertThat(decision).extracting(FleetConcurrency.Decision::maxConcurrency, FleetConcurrency.Decision::source)
                .containsExactly(3, SOURCE_RATE_LIMITS);
        assertThat(decision.reason()).contains("allow 3 at once").contains("Projects, scope USER: capacity 3")
                .contains("fewer than the default 5");
    }

    @Test
    void aSharedLimitBelowOneProjectsCalls_stillRunsOneAtATime() {
        sim.atlas().overrideRateLimitCapacity("projects_user", 0);

        FleetConcurrency.Decision decision = concurrency.decide(8, true);

        assertThat(decision.maxConcurrency()).isEqualTo(1);
        assertThat(decision.source()).isEqualTo(SOURCE_RATE_LIMITS);
        assertThat(decision.reason()).contains("one at a time");
    }

    @Test
    void aProjectScopedLimit_boundsEachProjectsOwnRotation_notHowManyRunAtOnce() {
        sim.atlas().overrideRateLimitCapacity("cloudBackups_group", 6);

        FleetConcurrency.Decision decision = concurrency.decide(10, true);

        assertThat(decision.maxConcurrency()).isEqualTo(10);
        assertThat(decision.source()).isEqualTo(SOURCE_CONFIGURED);
        assertThat(decision.reason()).contains("the tightest: Cloud Backups, scope GROUP: capacity 6, 5 calls per project");
    }

    @Test
    void limitsOffTheAccessList_fallBackToTheConfiguredNumber_andSayWhy() {
        sim.atlas().removeFromAccessList(SimulatedAtlas.CLIENT_ID);

        FleetConcurrency.Decision decision = concurrency.decide(12, true);

        assertThat(decision).extracting(FleetConcurrency.Decision::maxConcurrency, FleetConcurrency.Decision::source)
                .containsExactly(12, SOURCE_CONFIGURED);
        assertThat(decision.reason()).contains("could not be read").contains("HTTP 403 IP_ADDRESS_NOT_ON_ACCESS_LIST")
                .contains("the configured 12 stands");
    }

    @Test
    void refusedCredentials_anAtlasWithoutTheEndpoint_orNoAtlasAtAll_fallBackToTheDefault() {
        FleetConcurrency stranger = FleetConcurrency.reading(
                sim.client(AtlasCredentials.serviceAccount("mdb_sa_id_stranger", "mdb_sa_sk_not-known")));
        assertThat(stranger.decide(5, false)).satisfies(d -> {
            assertThat(d.maxConcurrency()).isEqualTo(5);
            assertThat(d.source()).isEqualTo(SOURCE_DEFAULT);
            assertThat(d.reason()).contains("HTTP 401").contains("the default 5 stands").doesNotContain("mdb_sa_sk_not-known");
        });

        sim.atlas().faults().rejectNext(AtlasOperation.LIST_RATE_LIMITS, 1, 404, "RESOURCE_NOT_FOUND",
                "Cannot find resource api/atlas/v2/rateLimits.");
        assertThat(concurrency.decide(5, false).reason()).contains("HTTP 404 RESOURCE_NOT_FOUND");

        sim.close(); // nothing listens any more: every retry fails to connect
        FleetConcurrency.Decision unreachable = concurrency.decide(5, false);
        assertThat(unreachable.maxConcurrency()).isEqualTo(5);
        assertThat(unreachable.reason()).contains("AtlasUnavailableException").contains("the default 5 stands");
    }

    @Test
    void aPlanFunctionWithoutAtlasCredentials_doesNotReadTheLimits_andSaysSo() {
        FleetConcurrency.Decision decision = FleetConcurrency.fromEnvironment(Map.of()).decide(7, true);

        assertThat(decision).extracting(FleetConcurrency.Decision::maxConcurrency, FleetConcurrency.Decision::source)
                .containsExactly(7, SOURCE_CONFIGURED);
        assertThat(decision.reason()).contains("were not read").contains("ATLAS_SECRET_ARN is not set");
    }

    @Test
    void theCallsOfASet_areTheCallsOneProjectMakesOfItsEndpoints_byMethodAndPathTemplate() {
        RateLimitEndpointSet ear = new RateLimitEndpointSet("e", "Encryption At Rest", "GROUP", 2_000L, 1_000L, 60L, List.of(
                new RateLimitEndpointSet.Endpoint("GET", "/api/atlas/v2/groups/{groupId}/encryptionAtRest"),
                new RateLimitEndpointSet.Endpoint("PATCH", "/api/atlas/v2/groups/{groupId}/encryptionAtRest"),
                new RateLimitEndpointSet.Endpoint("DELETE", "/api/atlas/v2/groups/{groupId}/encryptionAtRest")));

        assertThat(FleetConcurrency.callsOf(ear)).isEqualTo(17 + 4);
    }
}
