package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.alert.EventBridgeAlertPublisher;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.metrics.Metrics;
import io.atlascmk.rotator.record.EventArchiveUnavailableException;
import io.atlascmk.rotator.record.OutcomeRecorder;
import io.atlascmk.rotator.record.S3EventArchive;
import io.atlascmk.rotator.rescue.KeyRescue;
import io.atlascmk.rotator.rotation.InvalidInputException;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.s3.S3rver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The handlers' EMF lines, parsed as CloudWatch reads them ({@code _aws.CloudWatchMetrics} directives, the values at
 * top level): Preflight's start and its Atlas calls on the Atlas simulator, and the Record function's outcome counts
 * and archive on s3rver. The whole workflow's metrics are held against a sandbox run in the cli's SandboxMetricsTest.
 */
class HandlerMetricsTest {

    private static final String BUCKET = "rotator-evidence";
    private static S3rver s3rver;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3rver = S3rver.start();
        s3 = io.atlascmk.rotator.aws.AwsClients.s3Builder().endpointOverride(s3rver.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3rver.ACCESS_KEY_ID, S3rver.SECRET_ACCESS_KEY)))
                .build();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        s3.close();
        s3rver.close();
    }

    @Test
    void preflightThatRotates_countsTheStartForTheProjectAndTheDeployment_andItsAtlasCalls() throws Exception {
        try (MetricsWorld world = new MetricsWorld()) {
            MetricsWorld.run(new PreflightHandler(world.deps(), world.metrics), example("preflight.json"));
            List<JsonNode> lines = world.emf();

            assertThat(value(lines, "RotationsStarted", true)).containsExactly(1.0);
            assertThat(value(lines, "RotationsStarted", false)).containsExactly(1.0);
            assertThat(unit(lines, "RotationsStarted")).isEqualTo("Count");
            assertThat(value(lines, "AtlasRetries", true)).containsExactly(0.0);
            assertThat(value(lines, "AtlasRateLimited", true)).containsExactly(0.0);
            assertThat(lines).allSatisfy(l -> {
                assertThat(l.path("Deployment").asText()).isEqualTo(MetricsWorld.DEPLOYMENT);
                assertThat(l.toString()).doesNotContain(MetricsWorld.CLIENT_SECRET);
            });
        }
    }

    @Test
    void aDryRun_startsNothing() throws Exception {
        try (MetricsWorld world = new MetricsWorld()) {
            com.fasterxml.jackson.databind.node.ObjectNode input = (com.fasterxml.jackson.databind.node.ObjectNode)
                    Json.MAPPER.readTree(example("preflight.json"));
            input.with("input").put("dryRun", true);
            String dryRun = input.toString();
            JsonNode result = MetricsWorld.run(new PreflightHandler(world.deps(), world.metrics), dryRun);
            assertThat(result.path("decision").asText()).as("a dry run plans").isEqualTo("plan");

            assertThat(value(world.emf(), "RotationsStarted", false)).isEmpty();
        }
    }

    @Test
    void atlasAnswering429Twice_isTwoRateLimitedAnswersAndTwoRetries() throws Exception {
        try (MetricsWorld world = new MetricsWorld()) {
            world.atlas.faults().throttleNext(AtlasOperation.GET_ENCRYPTION_AT_REST, 2, 1);
            MetricsWorld.run(new PreflightHandler(world.deps(), world.metrics), example("preflight.json"));
            List<JsonNode> lines = world.emf();

            assertThat(value(lines, "AtlasRateLimited", true)).containsExactly(2.0);
            assertThat(value(lines, "AtlasRateLimited", false)).containsExactly(2.0);
            assertThat(value(lines, "AtlasRetries", true)).containsExactly(2.0);
        }
    }

    @Test
    void recordKeepsEachEventWhole_underItsProjectOrTheFleet_andCountsTheOutcomeOnce() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        RecordHandler handler = new RecordHandler(new OutcomeRecorder(new S3EventArchive(s3, BUCKET),
                new Metrics("RecordTest", java.time.Clock.systemUTC(), lines::add)));
        String failed = "{\"version\":\"0\",\"id\":\"0b7e2f3c-1111-4e5f-8a9b-0c1d2e3f4a5b\",\"detail-type\":"
                + "\"Rotation Failed\",\"source\":\"atlas-cmk-rotator\",\"time\":\"2026-11-30T10:20:05Z\",\"detail\":"
                + "{\"input\":{\"projectId\":\"5f1e2d3c4b5a69788796a5b4\"},\"error\":{\"Error\":\"X\"}}}";
        String fleet = "{\"version\":\"0\",\"id\":\"c0ffee00-2222-4e5f-8a9b-0c1d2e3f4a5b\",\"detail-type\":"
                + "\"Fleet Run Completed\",\"source\":\"atlas-cmk-rotator.fleet\",\"time\":\"2026-11-30T11:00:00Z\","
                + "\"detail\":{\"projects\":3}}";

        JsonNode stored = MetricsWorld.run(handler, failed);
        MetricsWorld.run(handler, failed); // EventBridge delivers at least once
        JsonNode fleetStored = MetricsWorld.run(handler, fleet);

        String key = "events/5f1e2d3c4b5a69788796a5b4/2026-11-30T10-20-05Z-0b7e2f3c-1111-4e5f-8a9b-0c1d2e3f4a5b.json";
        assertThat(stored.path("stored").asText()).isEqualTo("s3://" + BUCKET + "/" + key);
        assertThat(Json.MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()))
                .isEqualTo(Json.MAPPER.readTree(failed));
        assertThat(fleetStored.path("stored").asText())
                .endsWith("/events/_fleet/2026-11-30T11-00-00Z-c0ffee00-2222-4e5f-8a9b-0c1d2e3f4a5b.json");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("events/5f1e2d3c4b5a69788796a5b4/")).contents())
                .as("a repeated delivery writes the same object").hasSize(1);
        List<JsonNode> parsed = parse(lines);
        // each delivery that was stored counts (a metric cannot tell two deliveries of one event apart)
        assertThat(value(parsed, "RotationsFailed", true)).containsExactly(1.0, 1.0);
        assertThat(value(parsed, "RotationsSucceeded", false)).isEmpty();
    }

    @Test
    void recordThatCannotStore_countsNothing_soTheRedeliveryCountsOnce() {
        List<String> lines = new ArrayList<>();
        RecordHandler handler = new RecordHandler(new OutcomeRecorder(new S3EventArchive(s3, "no-such-bucket"),
                new Metrics("RecordTest", java.time.Clock.systemUTC(), lines::add)));
        String succeeded = "{\"id\":\"1\",\"detail-type\":\"Rotation Succeeded\",\"source\":\"atlas-cmk-rotator\","
                + "\"time\":\"2026-11-30T10:20:05Z\",\"detail\":{\"projectId\":\"5f1e2d3c4b5a69788796a5b4\"}}";

        assertThatThrownBy(() -> MetricsWorld.run(handler, succeeded))
                .isInstanceOf(EventArchiveUnavailableException.class)
                .hasMessageContaining("no-such-bucket").hasMessageContaining("s3:PutObject");
        assertThat(lines).isEmpty();
    }

    @Test
    void recordRefusesWhatIsNoEvent_namingTheField() {
        RecordHandler handler = new RecordHandler(new OutcomeRecorder(new S3EventArchive(s3, BUCKET),
                Metrics.discarding(java.time.Clock.systemUTC())));
        assertThatThrownBy(() -> MetricsWorld.run(handler, "{\"detail-type\":\"Rotation Failed\",\"time\":"
                + "\"2026-11-30T10:20:05Z\",\"detail\":{}}")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("id");
        assertThatThrownBy(() -> MetricsWorld.run(handler, "{\"id\":\"1\",\"detail-type\":\"Rotation Failed\","
                + "\"time\":\"yesterday\",\"detail\":{}}")).isInstanceOf(InvalidInputException.class).hasMessageContaining("time")
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void recordCountsEachOutcomeUnderItsMetric_withBothDimensionSets_andNothingForOtherEvents() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        RecordHandler handler = new RecordHandler(new OutcomeRecorder(new S3EventArchive(s3, BUCKET),
                new Metrics("RecordTest", java.time.Clock.systemUTC(), lines::add)));
        String[][] events = {
            {"Rotation Succeeded", "RotationsSucceeded"},
            {"Key Material Rotated", "RotationsSucceeded"},
            {"Rotation Rolled Back", "RotationsRolledBack"},
            {"Rotation Failed", "RotationsFailed"},
        };
        int n = 0;
        for (String[] event : events) {
            MetricsWorld.run(handler, outcomeEvent("a1b2c3d4-000" + n++, event[0], "atlas-cmk-rotator"));
        }
        // the tripwire's and the alert's events are archived, and are no rotation outcome
        MetricsWorld.run(handler, outcomeEvent("a1b2c3d4-0010", "Key Deletion Cancelled", KeyRescue.SOURCE));
        MetricsWorld.run(handler, outcomeEvent("a1b2c3d4-0011", EventBridgeAlertPublisher.DETAIL_TYPE,
                EventBridgeAlertPublisher.SOURCE));

        List<JsonNode> parsed = parse(lines);
        for (String metric : List.of("RotationsSucceeded", "RotationsRolledBack", "RotationsFailed")) {
            double expected = metric.equals("RotationsSucceeded") ? 2 : 1;
            assertThat(value(parsed, metric, true).stream().mapToDouble(Double::doubleValue).sum()).as(metric)
                    .isEqualTo(expected);
            assertThat(value(parsed, metric, false).stream().mapToDouble(Double::doubleValue).sum()).as(metric)
                    .isEqualTo(expected);
            assertThat(unit(parsed, metric)).isEqualTo("Count");
        }
        assertThat(parsed).allSatisfy(l -> assertThat(l.path("Deployment").asText()).isEqualTo("RecordTest"));
        assertThat(parsed.stream().flatMap(l -> java.util.stream.StreamSupport.stream(
                l.path("_aws").path("CloudWatchMetrics").spliterator(), false)).flatMap(d ->
                java.util.stream.StreamSupport.stream(d.path("Metrics").spliterator(), false))
                .map(m -> m.path("Name").asText())).as("only the outcome metrics")
                .containsOnly("RotationsSucceeded", "RotationsRolledBack", "RotationsFailed");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("events/5f1e2d3c4b5a69788796a5b4/")).contents()
                .stream().filter(o -> o.key().contains("-a1b2c3d4-")).count()).as("every event archived").isEqualTo(6);
    }

    @Test
    void recordRefusesInputThatIsNotJson_withATypedErrorAndNothingStoredOrCounted() {
        List<String> lines = new ArrayList<>();
        RecordHandler handler = new RecordHandler(new OutcomeRecorder(new S3EventArchive(s3, BUCKET),
                new Metrics("RecordTest", java.time.Clock.systemUTC(), lines::add)));
        assertThatThrownBy(() -> MetricsWorld.run(handler, "{\"id\": \"1\", \"detail-type\": "))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("(input)")
                .hasMessageContaining("not valid JSON").hasMessageContaining("EventBridge event");
        assertThatThrownBy(() -> MetricsWorld.run(handler, "")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("EventBridge event");
        assertThatThrownBy(() -> MetricsWorld.run(handler, "[1, 2]")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("JSON object");
        assertThat(lines).isEmpty();
    }

    private static String outcomeEvent(String id, String detailType, String source) {
        return "{\"version\":\"0\",\"id\":\"" + id + "\",\"detail-type\":\"" + detailType + "\",\"source\":\""
                + source + "\",\"time\":\"2026-12-01T09:00:00Z\",\"detail\":{\"projectId\":\"5f1e2d3c4b5a69788796a5b4\"}}";
    }

    private static String example(String name) throws IOException {
        return Files.readString(EventExamplesTest.EVENTS.resolve(name));
    }

    private static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            try {
                parsed.add(Json.MAPPER.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parsed;
    }

    /** The values of {@code metric} in lines whose directive has the ProjectId dimension set (or the aggregate one). */
    static List<Double> value(List<JsonNode> lines, String metric, boolean perProject) {
        List<Double> values = new ArrayList<>();
        for (JsonNode line : lines) {
            for (JsonNode directive : line.path("_aws").path("CloudWatchMetrics")) {
                assertThat(directive.path("Namespace").asText()).isEqualTo("AtlasCmkRotator");
                boolean named = false;
                for (JsonNode m : directive.path("Metrics")) {
                    named |= metric.equals(m.path("Name").asText());
                }
                boolean hasSet = false;
                for (JsonNode set : directive.path("Dimensions")) {
                    List<String> names = new ArrayList<>();
                    set.forEach(n -> names.add(n.asText()));
                    hasSet |= perProject ? names.equals(List.of("Deployment", "ProjectId"))
                            : names.equals(List.of("Deployment"));
                }
                if (named && hasSet) {
                    assertThat(line.path(metric).isNumber()).as(metric + " in " + line).isTrue();
                    if (perProject) {
                        assertThat(line.path("ProjectId").asText()).isEqualTo(MetricsWorld.PROJECT);
                    }
                    values.add(line.path(metric).asDouble());
                }
            }
        }
        return values;
    }

    private static String unit(List<JsonNode> lines, String metric) {
        for (JsonNode line : lines) {
            for (JsonNode directive : line.path("_aws").path("CloudWatchMetrics")) {
                for (JsonNode m : directive.path("Metrics")) {
                    if (metric.equals(m.path("Name").asText())) {
                        return m.path("Unit").asText();
                    }
                }
            }
        }
        return null;
    }
}
