package io.atlascmk.rotator.handler;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.atlas.Snapshot.Kind;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.FakeKmsClient;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.rotator.rotation.ProjectSettings;
import io.atlascmk.rotator.rotation.RotationWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The handlers chained the way {@code rotation.asl.json} chains them (its Parameters and ResultPaths,
 * the AwaitDeployment loop and the Route/IsDeployed choices), against the fakes. The real ASL on the
 * local engine is the end-to-end test's job; this one checks that the steps' outputs feed the next
 * steps' inputs and that the end state is right.
 */
class WorkflowOverHandlersTest {

    static final int FIRST_WAIT = 60;
    static final int MAX_WAIT = 900;

    /** Runs one execution; returns its final data (the ASL's $), with "outcome". */
    static ObjectNode execute(RotationWorld world, String rotationId, String executionInput) throws IOException {
        return execute(world, LocalHandlers.create(world.deps()), rotationId, executionInput);
    }

    /**
     * As {@link #execute(RotationWorld, String, String)}, with these handlers; the final data also holds
     * what AuditAndRetire was given, at {@code auditInput}.
     */
    static ObjectNode execute(RotationWorld world, Map<String, RequestStreamHandler> h, String rotationId,
            String executionInput) throws IOException {
        ObjectNode data = (ObjectNode) Json.MAPPER.readTree(executionInput);
        ObjectNode preflightIn = Json.MAPPER.createObjectNode();
        preflightIn.put("rotationId", rotationId);
        preflightIn.set("input", data.deepCopy());
        preflightIn.set("defaults", Json.MAPPER.readTree(
                "{\"cooldownDays\":30,\"pendingWindowDays\":30,\"settleSeconds\":300,\"deploymentDeadlineSeconds\":21600}"));
        JsonNode run = invoke(h.get("Preflight"), preflightIn);
        data.set("run", run);
        String decision = run.path("decision").asText();
        if (decision.equals("plan") || decision.equals("skip")) {
            data.put("outcome", decision);
            return data;
        }
        if (!decision.equals("sweep")) {
            data.set("newKey", invoke(h.get("CreateKey"), obj(
                    "projectId", run.path("projectId"), "rotationId", run.path("rotationId"),
                    "currentKeyId", run.path("currentKey").path("keyId"))));
            invoke(h.get("GrantAtlasAccess"), obj(
                    "projectId", run.path("projectId"), "rotationId", run.path("rotationId"),
                    "currentKeyId", run.path("currentKey").path("keyId"), "newKeyId", data.path("newKey").path("keyId"),
                    "atlasRoleArn", run.path("atlasRoleArn")));
            data.set("switch", invoke(h.get("SwitchAtlasKey"), obj(
                    "projectId", run.path("projectId"), "rotationId", run.path("rotationId"),
                    "newKeyId", data.path("newKey").path("keyId"), "newKeyArn", data.path("newKey").path("keyArn"))));
            JsonNode deployment = obj("status", text("waiting"), "attempt", Json.MAPPER.getNodeFactory().numberNode(0),
                    "waitSeconds", Json.MAPPER.getNodeFactory().numberNode(FIRST_WAIT));
            for (int loops = 0; deployment.path("status").asText().equals("waiting"); loops++) {
                world.clock.advance(Duration.ofSeconds(deployment.path("waitSeconds").asLong()));
                if (loops == 2) {
                    world.atlas.finishUpdates();
                }
                deployment = invoke(h.get("CheckDeployment"), obj(
                        "projectId", run.path("projectId"), "rotationId", run.path("rotationId"),
                        "newKeyId", data.path("newKey").path("keyId"), "switchedAt", data.path("switch").path("switchedAt"),
                        "attempt", deployment.path("attempt"), "settleSeconds", run.path("settings").path("settleSeconds"),
                        "deadlineSeconds", run.path("settings").path("deploymentDeadlineSeconds"),
                        "firstWaitSeconds", Json.MAPPER.getNodeFactory().numberNode(FIRST_WAIT),
                        "maxWaitSeconds", Json.MAPPER.getNodeFactory().numberNode(MAX_WAIT)));
                assertThat(loops).as("the loop ends").isLessThan(100);
            }
            data.set("deployment", deployment);
            switch (deployment.path("status").asText()) {
                case "rejected" -> {
                    // The workflow's rollback loop: check, wait (the clusters re-encrypt back), check again.
                    JsonNode rollback = Json.MAPPER.createObjectNode().put("attempt", 0).put("waitSeconds", 0);
                    for (int checks = 0; !rollback.path("status").asText().equals("done"); checks++) {
                        assertThat(checks).as("the rollback settles").isLessThan(10);
                        if (checks > 0) {
                            world.atlas.finishUpdates();
                        }
                        rollback = invoke(h.get("Rollback"), obj(
                                "projectId", run.path("projectId"), "rotationId", run.path("rotationId"),
                                "oldKeyId", run.path("currentKey").path("keyId"), "newKeyId", data.path("newKey").path("keyId"),
                                "reason", text("Atlas reports the new key as not valid (valid: false)"),
                                "attempt", rollback.path("attempt"), "waitSeconds", rollback.path("waitSeconds")));
                    }
                    data.set("rollback", rollback);
                    data.put("outcome", "rolled-back");
                    return data;
                }
                case "expired" -> {
                    data.put("outcome", "expired");
                    return data;
                }
                default -> data.set("finalize", invoke(h.get("Finalize"), obj(
                        "projectId", run.path("projectId"), "rotationId", run.path("rotationId"),
                        "newKeyId", data.path("newKey").path("keyId"), "oldKeyId", run.path("currentKey").path("keyId"))));
            }
        }
        ObjectNode auditInput = obj(
                "projectId", run.path("projectId"), "rotationId", run.path("rotationId"), "dryRun", run.path("dryRun"),
                "pendingWindowDays", run.path("settings").path("pendingWindowDays"),
                "extraClusterNames", run.path("settings").path("extraClusterNames"));
        data.set("auditInput", auditInput);
        data.set("audit", invoke(h.get("AuditAndRetire"), auditInput));
        data.put("outcome", decision.equals("sweep") ? "swept" : "rotated");
        return data;
    }

    static JsonNode invoke(RequestStreamHandler handler, JsonNode input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    static ObjectNode obj(Object... pairs) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], (JsonNode) pairs[i + 1]);
        }
        return node;
    }

    static JsonNode text(String value) {
        return Json.MAPPER.getNodeFactory().textNode(value);
    }

    static final String MANUAL = "{\"projectId\":\"" + PROJECT + "\",\"trigger\":\"manual\"}";
    static final String SWEEP = "{\"projectId\":\"" + PROJECT + "\",\"trigger\":\"schedule\",\"mode\":\"sweep\"}";

    @Test
    void firstRotationOfAnUnmanagedProject_adoptsRotatesFinalizes_andDeletesTheUnneededOldKeyAfterItsMinimumRetirement()
            throws IOException {
        RotationWorld world = RotationWorld.unmanaged();
        String oldKey = world.currentKeyId();

        ObjectNode result = execute(world, "manual-1", MANUAL);
        assertThat(result.path("audit").path("keys").get(0).path("decision").asText())
                .as("kept for the minimum retirement of 30 days").isEqualTo("defer");
        assertThat(world.kms.key(oldKey).pendingDeletion()).isFalse();
        world.clock.advance(Duration.ofDays(31));
        ObjectNode swept = execute(world, "sweep-1", SWEEP);

        assertThat(result.path("outcome").asText()).isEqualTo("rotated");
        String newKey = result.path("newKey").path("keyId").asText();
        assertThat(world.atlas.currentKey()).isEqualTo(newKey);
        FakeKmsClient.FakeKey created = world.kms.key(newKey);
        assertThat(created.ledgerState()).isEqualTo(KeyState.ACTIVE);
        assertThat(created.tag(KeyTags.ROTATION)).isEqualTo("manual-1");
        assertThat(created.policy()).contains(RotationWorld.ROLE_ARN);
        FakeKmsClient.FakeKey old = world.kms.key(oldKey);
        assertThat(old.tags()).containsEntry(KeyTags.ADOPTED_BY, "manual-1").doesNotContainKey(KeyTags.ROTATION);
        assertThat(old.ledgerState()).isEqualTo(KeyState.DELETION_SCHEDULED);
        assertThat(old.pendingDeletion()).isTrue();
        assertThat(world.kms.aliasTarget("alias/atlas-cmk/" + PROJECT)).contains(newKey);
        assertThat(swept.path("audit").path("keys").get(0).path("keyId").asText()).isEqualTo(old.keyId());
        world.assertLedgerInvariants();
    }

    @Test
    void rotationKeepsTheOldKeyEnabled_whileASnapshotNeedsIt_andASweepDeletesItOnceAtlasRemovedTheSnapshot()
            throws IOException {
        RotationWorld world = RotationWorld.managed();
        String oldKey = world.currentKeyId();
        String snapshot = world.atlas.snapshot("Cluster0", Kind.REPLICA_SET, oldKey,
                RotationWorld.START.minus(Duration.ofDays(1)), RotationWorld.START.plus(Duration.ofDays(7)));
        String sweep = "{\"projectId\":\"" + PROJECT + "\",\"trigger\":\"schedule\",\"mode\":\"sweep\"}";

        ObjectNode rotated = execute(world, "manual-1", MANUAL);
        assertThat(rotated.path("audit").path("keys").get(0).path("decision").asText()).isEqualTo("defer");
        assertThat(world.kms.key(oldKey).enabled()).isTrue();

        world.clock.advance(Duration.ofDays(8));
        ObjectNode stillListed = execute(world, "sweep-1", sweep);
        assertThat(stillListed.path("audit").path("keys").get(0).path("decision").asText())
                .as("past its expiresAt but still listed by Atlas: kept").isEqualTo("defer");
        assertThat(world.kms.key(oldKey).pendingDeletion()).isFalse();

        world.atlas.deleteSnapshot(snapshot);
        world.clock.advance(Duration.ofDays(23)); // past the minimum retirement of 30 days
        ObjectNode swept = execute(world, "sweep-2", sweep);

        assertThat(swept.path("outcome").asText()).isEqualTo("swept");
        assertThat(world.kms.key(oldKey).pendingDeletion()).isTrue();
    }

    @Test
    void atlasRejectingTheNewKey_rollsBack_andTheNextSweepRetiresTheAbandonedKey() throws IOException {
        RotationWorld world = RotationWorld.managed();
        String oldKey = world.currentKeyId();
        world.atlas.rejectKey(nextKeyId());

        ObjectNode result = execute(world, "manual-1", MANUAL);

        assertThat(result.path("outcome").asText()).isEqualTo("rolled-back");
        String newKey = result.path("newKey").path("keyId").asText();
        assertThat(world.atlas.currentKey()).isEqualTo(oldKey);
        assertThat(world.kms.key(newKey).ledgerState()).isEqualTo(KeyState.ABANDONED);
        assertThat(world.kms.key(oldKey).ledgerState()).isEqualTo(KeyState.ACTIVE);

        world.atlas.finishUpdates();
        world.clock.advance(Duration.ofDays(31));
        execute(world, "sweep-1", "{\"projectId\":\"" + PROJECT + "\",\"mode\":\"sweep\"}");
        assertThat(world.kms.key(newKey).pendingDeletion()).isTrue();
        assertThat(world.kms.key(oldKey).pendingDeletion()).isFalse();
    }

    @Test
    void aSecondRotationInsideTheCooldownIsSkipped_andADryRunChangesNothing() throws IOException {
        RotationWorld world = RotationWorld.managed();
        execute(world, "manual-1", MANUAL);
        world.clock.advance(Duration.ofDays(3));
        RotationWorld.EndState before = world.endState();

        ObjectNode skipped = execute(world, "schedule-2", "{\"projectId\":\"" + PROJECT + "\",\"trigger\":\"schedule\"}");
        ObjectNode planned = execute(world, "manual-3", "{\"projectId\":\"" + PROJECT + "\",\"dryRun\":true}");

        assertThat(skipped.path("outcome").asText()).isEqualTo("skip");
        assertThat(planned.path("outcome").asText()).isEqualTo("plan");
        assertThat(planned.path("run").path("plan").path("decision").asText()).isEqualTo("skip");
        assertThat(world.endState()).isEqualTo(before);
    }

    @Test
    void aRunThatDiedAfterCreatingItsKey_isAbandonedByTheNextRun_whichRotates() throws IOException {
        RotationWorld world = RotationWorld.managed();
        Map<String, RequestStreamHandler> h = LocalHandlers.create(world.deps());
        invoke(h.get("CreateKey"), Json.MAPPER.readTree("{\"projectId\":\"" + PROJECT
                + "\",\"rotationId\":\"died-1\",\"currentKeyId\":\"" + world.currentKeyId() + "\"}"));
        String deadKey = world.kms.keys().get(world.kms.keys().size() - 1).keyId();

        world.running.add("died-1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> execute(world, "manual-2", MANUAL))
                .isInstanceOf(io.atlascmk.rotator.rotation.RotationInProgressException.class);
        world.running.remove("died-1");
        ObjectNode result = execute(world, "manual-2", MANUAL);

        assertThat(result.path("outcome").asText()).isEqualTo("rotated");
        assertThat(result.path("run").path("notes").toString()).contains(deadKey).contains("abandoned");
        List<String> audited = result.path("audit").path("keys").findValuesAsText("keyId");
        assertThat(audited).contains(deadKey);
        assertThat(world.kms.key(deadKey).ledgerState()).isEqualTo(KeyState.ABANDONED);
        world.clock.advance(Duration.ofDays(31));
        execute(world, "sweep-3", SWEEP);
        assertThat(world.kms.key(deadKey).pendingDeletion()).isTrue();
        world.assertLedgerInvariants();
    }

    /**
     * The execution input the alert rule builds from {@code events/alert-event.json} (AlertIntake's input
     * transformer: projectId, trigger, alertId; no settings).
     */
    static String alertStart() throws IOException {
        JsonNode event = Json.MAPPER.readTree(Files.readString(Path.of("..", "events", "alert-event.json")));
        return obj("projectId", event.at("/detail/projectId"), "trigger", text("alert"),
                "alertId", event.at("/detail/alertId")).toString();
    }

    /**
     * Safety rule 1 whatever the trigger: an Atlas alert's input carries no settings, yet AuditAndRetire
     * still lists the snapshots of the terminated cluster the deployment configured for the project, and
     * keeps the old key a snapshot of it holds. Without the deployment's settings it keeps it too: Atlas
     * lists the deleted cluster itself ({@code includeDeletedWithRetainedBackups}).
     */
    @Test
    void anAlertStartedRotation_auditsTheDeploymentsTerminatedClusters_andKeepsTheKeyTheirSnapshotsNeed()
            throws IOException {
        String terminated = "orders-2019-terminated";
        ProjectSettings deployment = ProjectSettings.of(PROJECT,
                new ExecutionSettings(30, 14, null, null, List.of(terminated)));
        String input = alertStart();
        assertThat(Json.MAPPER.readTree(input).has("settings")).isFalse();
        assertThat(Json.MAPPER.readTree(input).path("projectId").asText()).isEqualTo(PROJECT);

        RotationWorld world = heldOnlyByATerminatedClustersSnapshot(terminated);
        String oldKey = world.currentKeyId();
        ObjectNode result = execute(world, LocalHandlers.create(world.deps(), deployment), "alert-1", input);

        assertThat(result.path("outcome").asText()).isEqualTo("rotated");
        assertThat(result.path("auditInput").path("extraClusterNames")).containsExactly(text(terminated));
        assertThat(result.path("auditInput").path("pendingWindowDays").intValue()).isEqualTo(14);
        assertThat(result.path("audit").path("keys").get(0).path("decision").asText()).isEqualTo("defer");
        assertThat(world.kms.key(oldKey).ledgerState()).isEqualTo(KeyState.RETIRED);
        assertThat(world.kms.key(oldKey).enabled()).isTrue();
        assertThat(world.kms.key(oldKey).pendingDeletion()).isFalse();

        RotationWorld unconfigured = heldOnlyByATerminatedClustersSnapshot(terminated);
        String unconfiguredOldKey = unconfigured.currentKeyId();
        unconfigured.clock.advance(Duration.ofDays(31));
        ObjectNode unlisted = execute(unconfigured, "alert-1", input);
        assertThat(unlisted.path("auditInput").path("extraClusterNames")).isEmpty();
        assertThat(unlisted.path("audit").path("keys").get(0).path("evidence").path(terminated).asInt())
                .as("Atlas lists the deleted cluster, so the audit reads its snapshots").isEqualTo(1);
        assertThat(unconfigured.kms.key(unconfiguredOldKey).pendingDeletion()).isFalse();
    }

    /** A managed project whose current key is used by one snapshot only, of a cluster deleted since. */
    private static RotationWorld heldOnlyByATerminatedClustersSnapshot(String terminated) {
        RotationWorld world = RotationWorld.managed();
        world.atlas.terminated(terminated).snapshot(terminated, Kind.REPLICA_SET, world.currentKeyId(),
                RotationWorld.START.minus(Duration.ofDays(30)), RotationWorld.START.plus(Duration.ofDays(335)));
        return world;
    }

    /** The id the fake KMS will give the next key (ids are deterministic per fake). */
    private static String nextKeyId() {
        RotationWorld twin = RotationWorld.managed();
        return twin.createKey().keyId();
    }
}
