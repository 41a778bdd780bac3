package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.atlas.SimulatedAtlas;
import io.atlascmk.rotator.fleet.FleetConcurrency;
import io.atlascmk.rotator.fleet.FleetPlanner;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.ProjectRegistry;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.rotator.rotation.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plan's width: the run's input, lowered by Atlas's rate limits (the sandbox's Atlas simulator), and why. */
class FleetPlanHandlerTest {

    private final SimulatedAtlas sim = new SimulatedAtlas();
    private final FleetPlanHandler handler = new FleetPlanHandler(new NoProjects(),
            new FleetPlanner(region -> {
                throw new AssertionError("no project, no key read");
            }), FleetConcurrency.reading(sim.client()), Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void stop() {
        sim.close();
    }

    private JsonNode plan(String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(("{\"fleetRun\":\"fleet-1\",\"input\":" + input + "}")
                .getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    @Test
    void limitsAtlasLowered_narrowTheRun_andThePlanSaysSo() throws IOException {
        sim.atlas().overrideRateLimitCapacity("projects_user", 2);

        JsonNode plan = plan("{}");

        assertThat(plan.path("maxConcurrency").asInt()).isEqualTo(2);
        assertThat(plan.path("concurrencySource").asText()).isEqualTo("rateLimits");
        assertThat(plan.path("concurrencyReason").asText()).contains("allow 2 at once").contains("fewer than the default 5");
        assertThat(plan.path("due").isArray()).isTrue();
    }

    @Test
    void unreadableLimits_leaveTheInputsNumber_neverFailTheRun() throws IOException {
        sim.atlas().removeFromAccessList(SimulatedAtlas.CLIENT_ID);

        JsonNode plan = plan("{\"maxConcurrency\":40}");

        assertThat(plan.path("maxConcurrency").asInt()).isEqualTo(40);
        assertThat(plan.path("concurrencySource").asText()).isEqualTo("configured");
        assertThat(plan.path("concurrencyReason").asText()).contains("could not be read").contains("HTTP 403");
    }

    @Test
    void moreThan40AtOnce_isStillRefused_beforeAtlasIsAsked() {
        assertThatThrownBy(() -> plan("{\"maxConcurrency\":41}")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1 to 40");
        assertThat(sim.atlas().callLog()).isEmpty();
    }

    /** An empty registry. */
    private static final class NoProjects implements ProjectRegistry {
        @Override
        public Optional<RegisteredProject> find(String projectId) {
            return Optional.empty();
        }

        @Override
        public Set<String> projectIds() {
            return Set.of();
        }

        @Override
        public List<RegisteredProject> list() {
            return List.of();
        }

        @Override
        public void put(RegisteredProject project) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean seed(RegisteredProject project) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(String projectId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean unseed(String projectId) {
            throw new UnsupportedOperationException();
        }
    }
}
