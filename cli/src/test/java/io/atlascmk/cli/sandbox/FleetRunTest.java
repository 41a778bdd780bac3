package io.atlascmk.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.aws.BusEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet run end to end in the sandbox: fleet.asl.json on the local engine, the real plan over the registry, and
 * each due project's rotation as a child execution of the real workflow.
 */
class FleetRunTest {

    private static final String DUE_A = "6b1b2c3d4e5f60718293a4b5";
    private static final String DUE_B = "6c1b2c3d4e5f60718293a4b5";
    private static final String FRESH = "6d1b2c3d4e5f60718293a4b5";

    private SandboxWorld world;
    private final Map<String, String> originalKeys = new HashMap<>();

    @BeforeEach
    void organization() {
        world = new SandboxWorld();
        SandboxSeed.seed(world); // the sandbox's own project: registered without a schedule
        originalKeys.put(DUE_A, SandboxSeed.seedProject(world, DUE_A, "rate(90 days)"));
        originalKeys.put(DUE_B, SandboxSeed.seedProject(world, DUE_B, "rate(90 days)"));
        world.clock().advance(Duration.ofDays(100)); // the hand-made keys are 100 days old
        String fresh = SandboxSeed.seedProject(world, FRESH, "rate(90 days)");
        originalKeys.put(FRESH, fresh);
        // FRESH's key is already this deployment's active key, created today (tags count for IAM minutes later)
        world.clock().advance(Duration.ofMinutes(10));
        world.keys(SandboxWorld.REGION).tag(fresh, Map.of(KeyTags.PROJECT, FRESH, KeyTags.DEPLOYMENT, SandboxWorld.DEPLOYMENT,
                KeyTags.STATE, "active"));
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void aSharedLimitAtlasLowered_runsTheDueProjectsOneAtATime_andAllStillRotate() {
        world.atlas().overrideRateLimitCapacity("projects_user", 1);

        ExecutionResult run = world.executeFleet("fleet-2026-06-02", 5, e -> { });

        assertThat(run.succeeded()).as(run.error() + ": " + run.cause()).isTrue();
        JsonNode plan = run.output().path("plan");
        assertThat(plan.path("maxConcurrency").asInt()).isEqualTo(1);
        assertThat(plan.path("concurrencySource").asText()).isEqualTo("rateLimits");
        assertThat(plan.path("concurrencyReason").asText()).contains("Projects, scope USER: capacity 1");
        assertThat(run.output().path("results")).hasSize(2)
                .allSatisfy(r -> assertThat(r.path("outcome").asText()).isEqualTo("rotated"));
    }

    @Test
    void aFleetRun_rotatesTheDueProjectsAsChildExecutions_leavesTheOthers_andReports() {
        ExecutionResult run = world.executeFleet("fleet-2026-06-01", 2, e -> { });

        assertThat(run.succeeded()).as(run.error() + ": " + run.cause()).isTrue();
        JsonNode output = run.output();
        Map<String, JsonNode> results = new HashMap<>();
        output.path("results").forEach(r -> results.put(r.path("projectId").asText(), r));
        assertThat(results).containsOnlyKeys(DUE_A, DUE_B);
        assertThat(results.values()).allSatisfy(r -> {
            assertThat(r.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(r.path("outcome").asText()).isEqualTo("rotated");
            assertThat(r.path("execution").asText()).startsWith("fleet-2026-06-01-");
        });
        assertThat(output.path("plan").path("notDue").asInt()).as("the sandbox's project and FRESH").isEqualTo(2);
        assertThat(output.path("plan").path("maxConcurrency").asInt()).as("Atlas's published limits hold 2").isEqualTo(2);
        assertThat(output.path("plan").path("concurrencySource").asText()).isEqualTo("configured");
        for (String project : List.of(DUE_A, DUE_B)) {
            assertThat(originalKeys.get(project)).as(project + " switched to its new key")
                    .doesNotEndWith(world.atlas().project(project).awsKms().keyId());
        }
        assertThat(originalKeys.get(FRESH)).as("FRESH was not due").endsWith(world.atlas().project(FRESH).awsKms().keyId());
        List<BusEvent> reports = world.aws().eventBridge().publishedEvents().stream()
                .filter(e -> "atlas-cmk-rotator.fleet".equals(e.envelope().path("source").asText())).toList();
        assertThat(reports).singleElement().satisfies(e -> {
            assertThat(e.envelope().path("detail-type").asText()).isEqualTo("Fleet Run Completed");
            assertThat(e.envelope().path("detail").path("started").asInt()).isEqualTo(2);
        });
        // the plan's metrics: only FRESH has an active key in the ledger (the others' hand-made keys are adopted by
        // their first rotation), so only its age is known, and it is new
        SandboxMetricsTest.Emf emf = SandboxMetricsTest.Emf.parse(world.metricLines());
        assertThat(emf.values("KeysOverdue", false)).as("always reported, 0 included").containsExactly(0.0);
        assertThat(emf.values("KeyAgeDays", true)).containsExactly(0.01);
        // and the report is archived with the fleet's events, under no project
        assertThat(world.s3().listObjectsV2(b -> b.bucket(SandboxWorld.EVIDENCE_BUCKET).prefix("events/_fleet/"))
                .contents()).singleElement().satisfies(o -> assertThat(o.key()).endsWith(
                        "-" + reports.get(0).envelope().path("id").asText() + ".json"));

        // 92 days on, the three keys are past their 90 days and the day's grace: the next run's plan says so
        world.clock().advance(Duration.ofDays(92));
        int before = world.metricLines().size();
        assertThat(world.executeFleet("fleet-2026-09-01", 2, e -> { }).succeeded()).isTrue();
        SandboxMetricsTest.Emf next = SandboxMetricsTest.Emf.parse(world.metricLines().subList(before,
                world.metricLines().size()));
        assertThat(next.values("KeysOverdue", false)).containsExactly(3.0);
        assertThat(next.values("KeyAgeDays", true)).hasSize(3).allSatisfy(d -> assertThat(d).isGreaterThan(91.0));
    }
}
