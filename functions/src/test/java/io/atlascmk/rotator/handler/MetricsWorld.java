package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.AtlasClientConfig;
import io.atlascmk.rotator.atlas.AtlasCredentials;
import io.atlascmk.rotator.atlas.AtlasCredentialsProvider;
import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.lock.RotationLock;
import io.atlascmk.rotator.lock.TestLocks;
import io.atlascmk.rotator.metrics.Metrics;
import io.atlascmk.rotator.rotation.StepDependencies;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.AtlasSimulator;
import io.atlascmk.sandbox.atlas.ClusterSpec;
import io.atlascmk.sandbox.aws.KmsKeyView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One project on the sandbox's stand-ins for the handlers' metrics: the Atlas simulator behind the real
 * {@link AtlasClient}, KMS and CloudTrail of the AWS stand-in, the lock in dynalite, one clock. Its history starts
 * {@link #HISTORY} days before {@link #NOW}: the project's current key was made then (tagged active by an earlier
 * rotation), with a replica set; the clock then stands at {@link #NOW}. The metric lines the handlers write are kept
 * ({@link #emf()}).
 */
final class MetricsWorld implements AutoCloseable {

    static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    static final String DEPLOYMENT = "MetricsTest";
    static final String ROTATION = "manual-2026-11-30T10-00-00Z";
    static final String ROLE_ARN = "arn:aws:iam::111122223333:role/atlas-encryption-at-rest";
    static final String REGION = "us-east-1";
    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    static final int HISTORY = 400;
    static final String CLIENT_ID = "mdb_sa_id_metrics";
    static final String CLIENT_SECRET = "mdb_sa_sk_metrics-not-a-real-secret";

    final SandboxClock clock = new SandboxClock(NOW.minus(Duration.ofDays(HISTORY)));
    final SandboxAws aws = SandboxAws.withoutPacing(clock);
    final AtlasSimulator atlas = new AtlasSimulator(clock, (key, role) -> true);
    final AtlasProject project;
    final KeyService keys = new KeyService(aws.kms(), DEPLOYMENT);
    final AtlasClient client;
    final Set<String> running = ConcurrentHashMap.newKeySet();
    final RotationLock lock = TestLocks.fresh(clock, running::contains, PROJECT);
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Metrics metrics = new Metrics(DEPLOYMENT, clock, lines::add);
    final String currentKeyArn;

    MetricsWorld() {
        atlas.addServiceAccount(CLIENT_ID, CLIENT_SECRET);
        atlas.start();
        currentKeyArn = ledgerKey(KeyState.ACTIVE, "schedule-2025-10-26T10-00-00Z", Map.of());
        project = atlas.createProject(PROJECT);
        project.configureAwsKms(currentKeyArn, "US_EAST_1", project.addAwsIamRole(ROLE_ARN));
        project.addEvent("AWS_ENCRYPTION_KEY_ROTATED", clock.instant());
        project.addCluster(ClusterSpec.replicaSet("orders").backupEnabled(false));
        clock.advance(Duration.between(clock.instant(), NOW));
        client = new AtlasClient(AtlasClientConfig.builder().baseUrl(java.net.URI.create(atlas.baseUrl())).clock(clock)
                .sleeper(d -> { }).jitter(() -> 0.5).build(),
                AtlasCredentialsProvider.of(AtlasCredentials.serviceAccount(CLIENT_ID, CLIENT_SECRET)));
    }

    /** A key of the project's ledger, made now (the clock's time), in {@code state}, with more tags. */
    String ledgerKey(KeyState state, String rotation, Map<String, String> more) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(KeyTags.PROJECT, PROJECT);
        tags.put(KeyTags.DEPLOYMENT, DEPLOYMENT);
        tags.put(KeyTags.ROTATION, rotation);
        tags.put(KeyTags.STATE, state.tagValue());
        tags.putAll(more);
        KmsKeyView key = aws.aws().kms().createKey(REGION, "Atlas encryption at rest for project " + PROJECT, tags);
        return key.arn();
    }

    StepDependencies deps() {
        return new StepDependencies(client, region -> keys, clock, running::contains, region -> aws.usage(), lock);
    }

    /** Runs a handler on {@code json}; the handler's answer. */
    static JsonNode run(RequestStreamHandler handler, String json) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every metric line written so far, parsed; and forgets them. */
    List<JsonNode> emf() {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            try {
                parsed.add(Json.MAPPER.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        lines.clear();
        return parsed;
    }

    @Override
    public void close() {
        atlas.close();
        aws.close();
    }
}
