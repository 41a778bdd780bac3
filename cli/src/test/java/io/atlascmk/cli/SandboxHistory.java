package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.cli.sandbox.SandboxSeed;
import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.DynamoDbProjectRegistry;
import io.atlascmk.sandbox.aws.BusEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A real sandbox history for the status tests: the sandbox's project rotated twice, 31 days apart (its hand-made key
 * adopted and then scheduled for deletion, the first rotation's key retired and kept for its snapshots, the second's
 * active), and a second registered project rotated once. Every event the rotations published is archived in the
 * evidence bucket as the Record function stores it ({@code events/<projectId>/<time>-<id>.json}); the audits are
 * there as AuditAndRetire stored them.
 */
final class SandboxHistory implements AutoCloseable {

    static final String PROJECT = SandboxWorld.PROJECT_ID;
    static final String OTHER = "6b1b2c3d4e5f60718293a4b5";
    private static final DateTimeFormatter ARCHIVE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'")
            .withZone(ZoneOffset.UTC);

    final SandboxWorld world = new SandboxWorld();
    /** The sandbox project's keys: the adopted one, the first rotation's, the second's. */
    final String adopted;
    final String first;
    final String second;
    final String otherAdopted;
    final String otherNew;
    final Instant secondRotationAt;

    SandboxHistory() {
        SandboxSeed.seed(world);
        SandboxSeed.seedProject(world, OTHER, "rate(90 days)");
        var r1 = rotate(PROJECT, "rotation-1");
        adopted = r1.output().path("previousKey").path("keyId").asText();
        first = r1.output().path("newKey").path("keyId").asText();
        var o1 = rotate(OTHER, "other-rotation-1"); // forced: its key was made today, inside the cooldown
        otherAdopted = o1.output().path("previousKey").path("keyId").asText();
        otherNew = o1.output().path("newKey").path("keyId").asText();
        // 31 days: the adopted key's snapshots expire and its minimum retirement ends
        world.clock().advance(Duration.ofDays(31));
        secondRotationAt = world.clock().instant();
        var r2 = rotate(PROJECT, "rotation-2");
        assertThat(r2.output().path("previousKey").path("keyId").asText()).isEqualTo(first);
        second = r2.output().path("newKey").path("keyId").asText();
        world.clock().advance(Duration.ofDays(1));
        archiveEvents(SandboxWorld.EVIDENCE_BUCKET);
    }

    io.atlascmk.cli.ExecutionResult rotate(String projectId, String name) {
        ObjectNode input = Json.MAPPER.createObjectNode().put("projectId", projectId).put("trigger", "manual").put("force", true);
        var run = world.execute(name, input, e -> { });
        assertThat(run.succeeded()).as(name + ": " + run.error() + ": " + run.cause()).isTrue();
        return run;
    }

    /** Stores every published event of the rotator in {@code bucket}, as the Record function would. */
    void archiveEvents(String bucket) {
        for (BusEvent e : world.aws().eventBridge().publishedEvents()) {
            if (!"atlas-cmk-rotator".equals(e.source())) {
                continue;
            }
            ObjectNode envelope = e.envelope();
            String project = e.detail().path("projectId").asText("_fleet");
            String key = "events/" + project + "/" + ARCHIVE_TIME.format(Instant.parse(envelope.path("time").asText()))
                    + "-" + e.id() + ".json";
            put(bucket, key, envelope.toString());
        }
    }

    void put(String bucket, String key, String body) {
        world.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    /** Copies the evidence bucket into a new bucket (tests that spoil a bucket spoil their own). */
    String copyBucket(String name) {
        world.s3().createBucket(b -> b.bucket(name));
        world.s3().listObjectsV2Paginator(b -> b.bucket(SandboxWorld.EVIDENCE_BUCKET)).contents().forEach(o ->
                put(name, o.key(), world.s3().getObjectAsBytes(b -> b.bucket(SandboxWorld.EVIDENCE_BUCKET).key(o.key())).asUtf8String()));
        return name;
    }

    /** The status command on the sandbox's KMS, registry table and S3, "now" at the sandbox clock (plus {@code later}). */
    StatusCommand status(Map<String, String> environment, Duration later) {
        Instant now = world.clock().instant().plus(later);
        return new StatusCommand(region -> world.kms(), () -> {
            throw new IllegalStateException("no Step Functions in the sandbox history");
        }, new HashMap<>(environment)::get, table -> new DynamoDbProjectRegistry(world.dynamo(), table), world::s3,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    StatusCommand status() {
        return status(Map.of(), Duration.ZERO);
    }

    @Override
    public void close() {
        world.close();
    }
}
