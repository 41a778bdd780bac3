package io.atlascmk.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.cli.ProgressPrinter;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.sandbox.atlas.CallRecord;
import io.atlascmk.sandbox.aws.BusEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The functions' CloudWatch metrics (README: Metrics), read as CloudWatch reads them: every Embedded Metric Format line
 * the sandbox's functions wrote during a scenario, parsed and checked for shape, then summed per metric and held
 * against what the stand-ins saw happen (Atlas's 429s in its call log, the deletions KMS scheduled in CloudTrail, the
 * events on the bus). And the Record function's archive: every event of the bus, whole, in the evidence bucket.
 */
class SandboxMetricsTest {

    private static final String NAMESPACE = "AtlasCmkRotator";

    @Test
    void aRotationAndItsSweep_countTheStartTheWaitTheOutcomeAndTheDeletion_andTheBusIsArchived() {
        try (SandboxWorld world = new SandboxWorld()) {
            List<ExecutionResult> runs = play(world, Scenario.TRIPWIRE);
            assertThat(runs).allSatisfy(r -> assertThat(r.succeeded()).as(r.error() + ": " + r.cause()).isTrue());
            Emf emf = Emf.parse(world.metricLines());

            assertThat(emf.sum("RotationsStarted", true)).isEqualTo(1);
            assertThat(emf.sum("RotationsStarted", false)).as("the aggregate beside the project's").isEqualTo(1);
            assertThat(emf.sum("RotationsSucceeded", true)).isEqualTo(published(world, "Rotation Succeeded"));
            assertThat(emf.values("DeploymentWaitSeconds", true)).as("once, when the deployment is done").hasSize(1)
                    .allSatisfy(v -> assertThat(v).isPositive());
            long scheduledInKms = world.aws().cloudTrail().events().stream()
                    .filter(e -> "ScheduleKeyDeletion".equals(e.eventName()) && e.errorCode() == null).count();
            assertThat(scheduledInKms).isEqualTo(1);
            assertThat(emf.sum("DeletionsScheduled", true)).isEqualTo(scheduledInKms);
            assertThat(emf.sum("DeletionsCancelled", true)).isEqualTo(published(world, "Key Deletion Cancelled"))
                    .isEqualTo(1);
            assertThat(emf.sum("DeletionsNotCancelled", false)).isZero();
            assertThat(emf.sum("RotationsFailed", false) + emf.sum("RotationsRolledBack", false)).isZero();
            assertThat(emf.values("AtlasRetries", true)).as("every Atlas-calling step reports, 0 included").isNotEmpty()
                    .allSatisfy(v -> assertThat(v).isZero());

            // the rotator's own events (the bus also carries KMS's CloudTrail events, which the Record rule leaves)
            List<BusEvent> events = world.aws().eventBridge().publishedEvents().stream()
                    .filter(e -> e.envelope().path("source").asText().startsWith("atlas-cmk-rotator")).toList();
            assertThat(events).extracting(e -> e.envelope().path("source").asText())
                    .contains("atlas-cmk-rotator", "atlas-cmk-rotator.tripwire");
            List<S3Object> archived = world.s3().listObjectsV2Paginator(b -> b.bucket(SandboxWorld.EVIDENCE_BUCKET)
                    .prefix("events/")).contents().stream().toList();
            assertThat(archived).as("one object per event of the bus").hasSize(events.size());
            for (BusEvent event : events) {
                String id = event.envelope().path("id").asText();
                String projectId = event.envelope().path("detail").path("projectId").asText("");
                S3Object object = archived.stream().filter(o -> o.key().endsWith("-" + id + ".json")).findFirst()
                        .orElseThrow(() -> new AssertionError("event " + id + " not archived: " + archived));
                assertThat(object.key()).startsWith("events/" + (projectId.isEmpty() ? "_fleet" : projectId) + "/");
                JsonNode stored = read(world, object.key());
                assertThat(stored).as("the envelope, whole").isEqualTo(event.envelope());
            }
            assertThat(world.metricLines()).as("no secret in a metric")
                    .noneMatch(l -> l.contains(SandboxWorld.CLIENT_SECRET));
        }
    }

    @Test
    void atlasAnswering429_isCountedOncePerAnswer_andTheClientsRetriesBesideIt() {
        try (SandboxWorld world = new SandboxWorld()) {
            List<ExecutionResult> runs = play(world, Scenario.THROTTLED);
            assertThat(runs).allSatisfy(r -> assertThat(r.succeeded()).as(r.error() + ": " + r.cause()).isTrue());
            Emf emf = Emf.parse(world.metricLines());

            long answered429 = world.atlas().callLog().stream().map(CallRecord::status).filter(s -> s == 429).count();
            assertThat(answered429).isEqualTo(7);
            assertThat(emf.sum("AtlasRateLimited", true)).isEqualTo(answered429);
            assertThat(emf.sum("AtlasRateLimited", false)).isEqualTo(answered429);
            assertThat(emf.sum("AtlasRetries", true)).as("the client retried some of them itself").isPositive()
                    .isLessThanOrEqualTo(answered429);
        }
    }

    @Test
    void aDryRun_startsNoRotation_andTheSnapshotsHoldingAnOldKey_areWaitingWithTheirSafeDate() {
        try (SandboxWorld world = new SandboxWorld()) {
            play(world, Scenario.DRY_RUN);
            Emf dryRun = Emf.parse(world.metricLines());
            assertThat(dryRun.sum("RotationsStarted", false)).isZero();
            assertThat(dryRun.values("RetiredKeysWaiting", false)).as("a dry run decides nothing").isEmpty();
        }
        try (SandboxWorld world = new SandboxWorld()) {
            play(world, Scenario.SNAPSHOTS_HOLD_OLD_KEY);
            Emf emf = Emf.parse(world.metricLines());
            // the rotation's audit keeps the old key (snapshots hold it); the sweep 31 days later schedules it
            assertThat(emf.values("RetiredKeysWaiting", true)).containsExactly(1.0, 0.0);
            assertThat(emf.values("EarliestSafeAfterDays", true)).hasSize(1).allSatisfy(d -> assertThat(d).isPositive());
            assertThat(emf.values("RetiredKeysPastSafeAfter", true)).containsExactly(0.0, 0.0);
            assertThat(emf.values("DeletionsScheduled", true)).containsExactly(0.0, 1.0);
        }
    }

    private static List<ExecutionResult> play(SandboxWorld world, Scenario scenario) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return scenario.playIn(world, out, new ProgressPrinter(out));
    }

    private static long published(SandboxWorld world, String detailType) {
        return world.aws().eventBridge().publishedEvents().stream()
                .filter(e -> detailType.equals(e.envelope().path("detail-type").asText())).count();
    }

    private static JsonNode read(SandboxWorld world, String key) {
        try {
            return Json.MAPPER.readTree(world.s3().getObjectAsBytes(b -> b.bucket(SandboxWorld.EVIDENCE_BUCKET).key(key))
                    .asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * EMF lines as CloudWatch reads them: each must be one JSON object with {@code _aws.Timestamp} and directives of
     * our namespace whose dimension sets all include {@code Deployment} and name top-level string members, and whose
     * metrics each have a number at top level. A metric's values are per line, split by whether the line's directive
     * for it carries the {@code ProjectId} dimension.
     */
    record Emf(Map<String, List<Double>> perProject, Map<String, List<Double>> aggregate) {

        private static final java.util.Set<List<String>> BOTH = java.util.Set.of(List.of("Deployment", "ProjectId"),
                List.of("Deployment"));
        private static final java.util.Set<List<String>> PROJECT = java.util.Set.of(List.of("Deployment", "ProjectId"));
        private static final java.util.Set<List<String>> AGG = java.util.Set.of(List.of("Deployment"));
        /** README's table of metrics (and the metric spec): each metric's unit and dimension sets. */
        private static final Map<String, Spec> SPEC = Map.ofEntries(
                Map.entry("RotationsStarted", new Spec("Count", BOTH)),
                Map.entry("RotationsSucceeded", new Spec("Count", BOTH)),
                Map.entry("RotationsFailed", new Spec("Count", BOTH)),
                Map.entry("RotationsRolledBack", new Spec("Count", BOTH)),
                Map.entry("KeyAgeDays", new Spec("None", PROJECT)),
                Map.entry("KeysOverdue", new Spec("Count", AGG)),
                Map.entry("RetiredKeysWaiting", new Spec("Count", BOTH)),
                Map.entry("EarliestSafeAfterDays", new Spec("None", PROJECT)),
                Map.entry("RetiredKeysPastSafeAfter", new Spec("Count", BOTH)),
                Map.entry("DeletionsScheduled", new Spec("Count", BOTH)),
                Map.entry("DeletionsCancelled", new Spec("Count", BOTH)),
                Map.entry("DeletionsNotCancelled", new Spec("Count", AGG)),
                Map.entry("AtlasRetries", new Spec("Count", BOTH)),
                Map.entry("AtlasRateLimited", new Spec("Count", BOTH)),
                Map.entry("DeploymentWaitSeconds", new Spec("Seconds", BOTH)));

        record Spec(String unit, java.util.Set<List<String>> sets) {
        }

        static Emf parse(List<String> lines) {
            Map<String, List<Double>> perProject = new TreeMap<>();
            Map<String, List<Double>> aggregate = new TreeMap<>();
            assertThat(lines).as("the functions wrote metrics").isNotEmpty();
            for (String line : lines) {
                JsonNode root;
                try {
                    root = Json.MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
                assertThat(line).as("one line").doesNotContain("\n");
                assertThat(root.path("_aws").path("Timestamp").isIntegralNumber()).as(line).isTrue();
                assertThat(root.path("Deployment").asText()).as(line).isEqualTo(SandboxWorld.DEPLOYMENT);
                for (JsonNode directive : root.path("_aws").path("CloudWatchMetrics")) {
                    assertThat(directive.path("Namespace").asText()).isEqualTo(NAMESPACE);
                    boolean project = false;
                    boolean agg = false;
                    for (JsonNode set : directive.path("Dimensions")) {
                        List<String> names = new ArrayList<>();
                        set.forEach(n -> names.add(n.asText()));
                        assertThat(names).as(line).contains("Deployment");
                        names.forEach(n -> assertThat(root.path(n).isTextual()).as(n + " in " + line).isTrue());
                        project |= names.contains("ProjectId");
                        agg |= names.equals(List.of("Deployment"));
                    }
                    java.util.Set<List<String>> sets = new java.util.HashSet<>();
                    directive.path("Dimensions").forEach(set -> {
                        List<String> names = new ArrayList<>();
                        set.forEach(n -> names.add(n.asText()));
                        sets.add(names);
                    });
                    for (JsonNode metric : directive.path("Metrics")) {
                        String name = metric.path("Name").asText();
                        Spec spec = SPEC.get(name);
                        assertThat(spec).as("a metric of README's table: " + name).isNotNull();
                        assertThat(metric.path("Unit").asText()).as(name + " in " + line).isEqualTo(spec.unit());
                        // a per-project metric of a call about no project (the fleet's Atlas calls) is the aggregate's
                        assertThat(sets).as(name + "'s dimension sets in " + line).isEqualTo(
                                root.has("ProjectId") || spec.sets().equals(AGG) ? spec.sets() : AGG);
                        assertThat(root.path(name).isNumber()).as(name + " in " + line).isTrue();
                        if (project) {
                            perProject.computeIfAbsent(name, k -> new ArrayList<>()).add(root.path(name).asDouble());
                        }
                        if (agg) {
                            aggregate.computeIfAbsent(name, k -> new ArrayList<>()).add(root.path(name).asDouble());
                        }
                    }
                }
            }
            return new Emf(perProject, aggregate);
        }

        List<Double> values(String metric, boolean project) {
            return (project ? perProject : aggregate).getOrDefault(metric, List.of());
        }

        long sum(String metric, boolean project) {
            return Math.round(values(metric, project).stream().mapToDouble(Double::doubleValue).sum());
        }
    }
}
