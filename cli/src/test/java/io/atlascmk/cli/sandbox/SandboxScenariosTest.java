package io.atlascmk.cli.sandbox;

import static io.atlascmk.cli.sandbox.SandboxWorld.PROJECT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.aws.BusEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * End to end: every sandbox scenario through the real rotation.asl.json on the local engine, the real
 * handlers behind the local Lambda endpoint, and the stand-ins. Each test asserts the final state
 * (keys, tags, alias, Atlas configuration, clusters, scheduled deletions) and the execution's event log.
 *
 * <p>State is read through the AWS SDK against the stand-ins, as an operator would read it.
 */
class SandboxScenariosTest {

    private static final String ALIAS = "alias/atlas-cmk/" + PROJECT_ID;

    private SandboxWorld world;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void startWorld() {
        world = new SandboxWorld();
    }

    @AfterEach
    void stopWorld() {
        world.close();
    }

    private List<ExecutionResult> play(Scenario scenario) {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return scenario.playIn(world, out, new io.atlascmk.cli.ProgressPrinter(out));
    }

    /** Every key of the sandbox account with its tags, keyed by key id. */
    private Map<String, Map<String, String>> keysWithTags() {
        Map<String, Map<String, String>> keys = new TreeMap<>();
        world.kms().listKeysPaginator(b -> { }).keys().forEach(k -> keys.put(k.keyId(), SandboxSeed.tags(world, k.keyId())));
        return keys;
    }

    private Map<String, Map<String, String>> projectKeys() {
        return keysWithTags().entrySet().stream()
                .filter(e -> PROJECT_ID.equals(e.getValue().get(KeyTags.PROJECT)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private KeyMetadata describe(String keyId) {
        return world.kms().describeKey(b -> b.keyId(keyId)).keyMetadata();
    }

    private String aliasTarget() {
        return world.kms().listAliasesPaginator(b -> { }).aliases().stream()
                .filter(a -> ALIAS.equals(a.aliasName())).map(a -> a.targetKeyId()).findFirst().orElse(null);
    }

    private List<String> published() {
        return world.aws().eventBridge().publishedEvents().stream()
                .map(BusEvent::envelope).map(e -> e.path("detail-type").asText()).toList();
    }

    private static String newKeyOf(ExecutionResult rotation) {
        return rotation.output().path("newKey").path("keyId").asText();
    }

    /** The KMS calls the world's stand-in received, by operation. */
    private static Map<String, Integer> kmsCalls(SandboxWorld w) {
        Map<String, Integer> calls = new TreeMap<>();
        w.aws().faults().callCounts().forEach((operation, n) -> {
            if (operation.startsWith("TrentService.")) {
                calls.put(operation.substring("TrentService.".length()), n);
            }
        });
        return calls;
    }

    @Test
    void aRegionWithFiveThousandUnrelatedKeys_costsARotationNoKmsCallMore_theKeyIndexFindsTheProjectsKeys() {
        try (SandboxWorld crowded = new SandboxWorld()) {
            for (int i = 0; i < 5_000; i++) {
                crowded.aws().kms().createKey(SandboxWorld.REGION, "another team's key " + i, Map.of("team", "t" + (i % 40)));
            }
            Map<String, Integer> before = kmsCalls(crowded);
            PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
            ExecutionResult crowdedRun = Scenario.HAPPY.playIn(crowded, out, new io.atlascmk.cli.ProgressPrinter(out)).get(0);
            ExecutionResult run = play(Scenario.HAPPY).get(0);
            assertThat(crowdedRun.succeeded()).isTrue();
            assertThat(run.succeeded()).isTrue();

            Map<String, Integer> crowdedCalls = new TreeMap<>(kmsCalls(crowded));
            before.forEach((op, n) -> crowdedCalls.merge(op, -n, Integer::sum));
            crowdedCalls.values().removeIf(n -> n == 0);
            Map<String, Integer> calls = kmsCalls(world);
            int total = calls.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("KMS calls per rotation: %d with no other key in the region, %d with 5,000 (%s)%n", total,
                    crowdedCalls.values().stream().mapToInt(Integer::intValue).sum(), crowdedCalls);
            assertThat(crowdedCalls).isEqualTo(calls);
            assertThat(calls).doesNotContainKey("ListKeys");
        }
    }

    @Test
    void happy_rotatesToANewKey_retiresTheOldOne_andDefersItsDeletionWhileSnapshotsHoldIt() throws Exception {
        List<ExecutionResult> results = play(Scenario.HAPPY);

        ExecutionResult run = results.get(0);
        assertThat(run.succeeded()).as(run.error() + ": " + run.cause()).isTrue();
        assertThat(run.output().path("outcome").asText()).isEqualTo("rotated");
        assertThat(run.statesEntered()).containsSubsequence("Preflight", "CreateKey", "GrantAtlasAccess", "SwitchAtlasKey",
                "WaitForDeployment", "CheckDeployment", "Finalize", "AuditAndRetire", "NotifyRotated");
        assertThat(run.statesEntered()).doesNotContain("Rollback", "NotifyFailure");
        assertThat(run.statesEntered().stream().filter("CheckDeployment"::equals).count())
                .as("Atlas needs several checks to finish re-encrypting").isGreaterThan(1);
        assertThat(run.statesRetried()).as("KMS and Atlas see a new key only after a while: the workflow waited for both")
                .contains("GrantAtlasAccess", "SwitchAtlasKey");

        String newKey = newKeyOf(run);
        String oldKey = run.output().path("previousKey").path("keyId").asText();
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(world.project().awsKms().keyId()).isEqualTo(newKey);
        assertThat(world.project().awsKms().valid()).isTrue();
        assertThat(world.project().clusters()).allSatisfy(c -> assertThat(c.stateName()).isEqualTo("IDLE"));

        String evidence = run.output().path("audit").path("evidence").asText();
        assertThat(evidence).as("the audit's whole evidence is in the bucket, the execution carries a summary")
                .isEqualTo("s3://" + SandboxWorld.EVIDENCE_BUCKET + "/evidence/" + PROJECT_ID + "/rotation-1/AuditAndRetire.json");
        JsonNode whole = io.atlascmk.rotator.json.Json.MAPPER.readTree(world.s3().getObjectAsBytes(b -> b
                .bucket(SandboxWorld.EVIDENCE_BUCKET).key("evidence/" + PROJECT_ID + "/rotation-1/AuditAndRetire.json")).asByteArray());
        assertThat(whole.path("keys").get(0).path("keyId").asText()).isEqualTo(oldKey);
        assertThat(whole.path("evidence").isMissingNode() || whole.path("evidence").isNull())
                .as("the whole result is not itself a summary").isTrue();

        Map<String, Map<String, String>> keys = projectKeys();
        assertThat(keys).containsOnlyKeys(oldKey, newKey);
        assertThat(keys.get(newKey)).containsEntry(KeyTags.STATE, "active").containsEntry(KeyTags.ROTATION, "rotation-1");
        assertThat(keys.get(oldKey)).containsEntry(KeyTags.STATE, "retired").containsKeys(KeyTags.RETIRED_AT, KeyTags.SAFE_AFTER);
        assertThat(describe(oldKey).keyState()).as("a retired key stays enabled until deletion").isEqualTo(KeyState.ENABLED);
        assertThat(describe(oldKey).deletionDate()).isNull();
        assertThat(aliasTarget()).isEqualTo(newKey);

        JsonNode audited = run.output().path("audit").path("keys").get(0);
        assertThat(audited.path("keyId").asText()).isEqualTo(oldKey);
        assertThat(audited.path("decision").asText()).isEqualTo("defer");
        assertThat(audited.path("evidence").path("orders").asInt()).isPositive();
        assertThat(audited.path("evidence").path("analytics").asInt()).as("sharded snapshots count too").isPositive();
        assertThat(published()).contains("Rotation Succeeded");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("CreateKey", "WaitForDeployment");
    }

    @Test
    void snapshotsHoldOldKey_defersDeletion_thenALaterSweepSchedulesItOnceTheSnapshotsExpired() {
        List<ExecutionResult> results = play(Scenario.SNAPSHOTS_HOLD_OLD_KEY);

        ExecutionResult rotation = results.get(0);
        ExecutionResult sweep = results.get(1);
        assertThat(rotation.succeeded()).as(rotation.error() + ": " + rotation.cause()).isTrue();
        assertThat(sweep.succeeded()).as(sweep.error() + ": " + sweep.cause()).isTrue();
        String oldKey = rotation.output().path("previousKey").path("keyId").asText();
        String newKey = newKeyOf(rotation);
        assertThat(rotation.output().path("audit").path("keys").get(0).path("decision").asText()).isEqualTo("defer");

        assertThat(sweep.output().path("outcome").asText()).isEqualTo("swept");
        assertThat(sweep.statesEntered()).containsExactly("Preflight", "Route", "AuditAndRetire", "RouteReport", "NotifySwept",
                "HoldsLock", "ReleaseLock", "AfterRelease", "SweepReport");
        assertThat(world.lock().read(PROJECT_ID).orElseThrow().held()).as("every end releases the lock").isFalse();
        JsonNode swept = sweep.output().path("audit").path("keys").get(0);
        assertThat(swept.path("keyId").asText()).isEqualTo(oldKey);
        assertThat(swept.path("decision").asText()).isEqualTo("schedule-deletion");
        assertThat(describe(oldKey).keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(describe(oldKey).deletionDate()).isEqualTo(world.clock().instant().plus(java.time.Duration.ofDays(7)));
        assertThat(projectKeys().get(oldKey)).containsEntry(KeyTags.STATE, "deletion-scheduled");
        assertThat(describe(newKey).keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(world.project().awsKms().keyId()).isEqualTo(newKey);
        assertThat(world.project().snapshotsByCluster().values().stream().flatMap(List::stream))
                .as("no snapshot still listed holds the key scheduled for deletion")
                .noneMatch(s -> oldKey.equals(s.masterKeyUUID()));
    }

    @Test
    void terminatedCluster_nobodyConfigured_keepsTheOldKeyUntilItsRetainedSnapshotExpires() {
        List<ExecutionResult> results = play(Scenario.TERMINATED_CLUSTER);

        ExecutionResult rotation = results.get(0);
        ExecutionResult sweep = results.get(1);
        assertThat(rotation.succeeded()).as(rotation.error() + ": " + rotation.cause()).isTrue();
        assertThat(sweep.succeeded()).as(sweep.error() + ": " + sweep.cause()).isTrue();
        String oldKey = rotation.output().path("previousKey").path("keyId").asText();
        JsonNode swept = sweep.output().path("audit").path("keys").get(0);
        assertThat(swept.path("keyId").asText()).isEqualTo(oldKey);
        assertThat(swept.path("decision").asText()).isEqualTo("defer");
        assertThat(swept.path("evidence").path("legacy-billing").asInt()).isEqualTo(1);
        assertThat(swept.path("reasons").toString()).contains("deleted cluster 'legacy-billing'");
        assertThat(java.time.Instant.parse(swept.path("safeAfter").asText()))
                .isAfter(world.clock().instant().plus(java.time.Duration.ofDays(25)));
        assertThat(describe(oldKey).keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(projectKeys().get(oldKey)).containsEntry(KeyTags.STATE, "retired");
    }

    @Test
    void sharedKey_theAdoptedKeyAnotherProjectStillUses_isKeptWithTheReason() {
        List<ExecutionResult> results = play(Scenario.SHARED_KEY);

        assertThat(results).allSatisfy(r -> assertThat(r.succeeded()).as(r.error() + ": " + r.cause()).isTrue());
        String adopted = results.get(0).output().path("previousKey").path("keyId").asText();
        JsonNode swept = results.get(1).output().path("audit").path("keys").get(0);
        assertThat(swept.path("keyId").asText()).isEqualTo(adopted);
        assertThat(swept.path("decision").asText()).isEqualTo("refuse");
        assertThat(swept.path("reasons").toString()).contains("was adopted").contains(Scenario.STAGING_PROJECT_ID);
        assertThat(describe(adopted).keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(projectKeys().get(adopted)).containsEntry(KeyTags.STATE, "retired").containsKey(KeyTags.ADOPTED_BY);
        assertThat(world.atlas().project(Scenario.STAGING_PROJECT_ID).awsKms().keyId()).as("staging still works").isEqualTo(adopted);
        assertThat(world.atlas().project(Scenario.STAGING_PROJECT_ID).awsKms().valid()).isTrue();
    }

    @Test
    void sharedOutside_theAdoptedKeyOfAProjectOutsideTheDeployment_isKept_becauseTheAuditAskedEveryReadableProject() {
        List<ExecutionResult> results = play(Scenario.SHARED_OUTSIDE);

        assertThat(results).allSatisfy(r -> assertThat(r.succeeded()).as(r.error() + ": " + r.cause()).isTrue());
        String adopted = results.get(0).output().path("previousKey").path("keyId").asText();
        JsonNode swept = results.get(1).output().path("audit").path("keys").get(0);
        assertThat(swept.path("decision").asText()).isEqualTo("refuse");
        assertThat(swept.path("reasons").toString()).contains("was adopted").contains(Scenario.STAGING_PROJECT_ID)
                .contains("use it as their key");
        assertThat(describe(adopted).keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(world.atlas().calls(io.atlascmk.sandbox.atlas.AtlasOperation.LIST_GROUPS)).isPositive();
        assertThat(world.atlas().project(Scenario.STAGING_PROJECT_ID).awsKms().valid()).isTrue();
    }

    @Test
    void tripwire_aRestoreOfAKeyPendingDeletion_cancelsTheDeletion_andTheRestoreThenWorks() {
        List<ExecutionResult> results = play(Scenario.TRIPWIRE);

        assertThat(results).allSatisfy(r -> assertThat(r.succeeded()).as(r.error() + ": " + r.cause()).isTrue());
        String oldKey = results.get(0).output().path("previousKey").path("keyId").asText();
        assertThat(results.get(1).output().path("audit").path("keys").get(0).path("decision").asText())
                .isEqualTo("schedule-deletion");
        assertThat(describe(oldKey).keyState()).as("rescued").isEqualTo(KeyState.ENABLED);
        assertThat(describe(oldKey).deletionDate()).isNull();
        assertThat(projectKeys().get(oldKey)).containsEntry(KeyTags.STATE, "retired")
                .containsKey(KeyTags.RESCUED_AT).hasEntrySatisfying(KeyTags.RESCUED_FOR,
                        v -> assertThat(v).contains("atlas-encryption-at-rest"));
        assertThat(published()).contains("Key Deletion Cancelled");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Atlas retries the restore -> ok");
    }

    @Test
    void atlasRejectsKey_rollsBackToTheOldKey_andAbandonsTheNewOneWithoutRetiringAnything() {
        List<ExecutionResult> results = play(Scenario.ATLAS_REJECTS_KEY);

        ExecutionResult run = results.get(0);
        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).isEqualTo("RotationRolledBack");
        assertThat(run.statesEntered()).contains("SwitchAtlasKey", "CheckDeployment", "Rollback", "NotifyRolledBack");
        assertThat(run.statesEntered()).doesNotContain("Finalize", "AuditAndRetire");
        assertThat(run.statesRetried()).as("Atlas answers 409 to the switch back while its clusters still apply the"
                + " new key; the rollback waits until they are done").contains("Rollback");

        String atlasKey = world.project().awsKms().keyId();
        Map<String, Map<String, String>> keys = projectKeys();
        assertThat(keys).hasSize(2);
        String abandoned = keys.entrySet().stream().filter(e -> "abandoned".equals(e.getValue().get(KeyTags.STATE)))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(atlasKey).isNotEqualTo(abandoned);
        assertThat(keys.get(atlasKey)).containsEntry(KeyTags.STATE, "active");
        assertThat(world.project().awsKms().valid()).as("Atlas is back on a key it can use").isTrue();
        assertThat(describe(atlasKey).keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(describe(abandoned).deletionDate()).as("nothing is deleted by a rollback").isNull();
        assertThat(published()).contains("Rotation Rolled Back");
    }

    @Test
    void throttled_retriesAtlas429sInTheClientAndTheWorkflow_andStillRotatesWithExactlyOneNewKey() {
        List<ExecutionResult> results = play(Scenario.THROTTLED);

        ExecutionResult run = results.get(0);
        assertThat(run.succeeded()).as(run.error() + ": " + run.cause()).isTrue();
        assertThat(run.output().path("outcome").asText()).isEqualTo("rotated");
        assertThat(run.statesRetried()).as("the client gave up after its attempts; the workflow retried the step").contains("Preflight");
        assertThat(world.atlas().calls(AtlasOperation.GET_ENCRYPTION_AT_REST)).isGreaterThan(7);
        assertThat(projectKeys().values().stream().filter(t -> "rotation-1".equals(t.get(KeyTags.ROTATION))).count())
                .as("retries never create a second key").isEqualTo(1);
        assertThat(world.aws().faults().calls(io.atlascmk.sandbox.aws.AwsService.KMS, "CreateKey")).isGreaterThanOrEqualTo(3);
        assertThat(world.project().awsKms().keyId()).isEqualTo(newKeyOf(run));
    }

    @Test
    void dryRun_returnsThePlan_andChangesNothingInKmsOrAtlas() {
        world.close();
        world = new SandboxWorld();
        SandboxSeed.seed(world);
        Map<String, Map<String, String>> before = keysWithTags();
        String policyBefore = world.kms().getKeyPolicy(b -> b.keyId(world.project().awsKms().keyId()).policyName("default")).policy();
        String atlasKeyBefore = world.project().awsKms().keyId();
        world.aws().faults().resetCounts();

        ExecutionResult run = world.execute("dry-run-1", Scenario.rotate().put("dryRun", true), e -> { });

        assertThat(run.succeeded()).as(run.error() + ": " + run.cause()).isTrue();
        assertThat(run.output().path("outcome").asText()).isEqualTo("dry-run");
        assertThat(run.output().path("plan").isObject()).isTrue();
        assertThat(run.statesEntered()).doesNotContain("CreateKey", "GrantAtlasAccess", "SwitchAtlasKey", "Finalize", "AuditAndRetire");
        assertThat(keysWithTags()).as("no key created, no tag written (not even adoption)").isEqualTo(before);
        assertThat(world.kms().getKeyPolicy(b -> b.keyId(atlasKeyBefore).policyName("default")).policy()).isEqualTo(policyBefore);
        assertThat(world.project().awsKms().keyId()).isEqualTo(atlasKeyBefore);
        assertThat(world.atlas().calls(AtlasOperation.UPDATE_ENCRYPTION_AT_REST)).isZero();
        assertThat(world.aws().faults().callCounts()).as("no KMS write call at all")
                .doesNotContainKeys("TrentService.CreateKey", "TrentService.PutKeyPolicy", "TrentService.TagResource",
                        "TrentService.UntagResource", "TrentService.CreateAlias", "TrentService.UpdateAlias",
                        "TrentService.ScheduleKeyDeletion");
    }

    @Test
    void keyMaterial_rotatesTheMaterialOfTheSameKey_turnsAutomaticRotationOn_neverTouchesAtlas_andACooldownFollows() {
        List<ExecutionResult> results = play(Scenario.KEY_MATERIAL);

        ExecutionResult first = results.get(0);
        String atlasKeyBefore = first.output().path("key").path("keyId").asText();
        assertThat(first.succeeded()).as(first.error() + ": " + first.cause()).isTrue();
        assertThat(first.output().path("outcome").asText()).isEqualTo("material-rotated");
        assertThat(first.output().path("key").path("rotatedOnDemand").asBoolean()).isTrue();
        assertThat(first.output().path("key").path("rotationPeriodDays").asInt()).isEqualTo(180);
        assertThat(first.statesEntered()).contains("RotateKeyMaterial").doesNotContain("CreateKey", "SwitchAtlasKey",
                "Finalize", "AuditAndRetire");
        assertThat(world.project().awsKms().keyId()).as("Atlas keeps the same key").isEqualTo(atlasKeyBefore);
        assertThat(world.atlas().calls(AtlasOperation.UPDATE_ENCRYPTION_AT_REST)).isZero();
        var rotation = world.kms().getKeyRotationStatus(b -> b.keyId(atlasKeyBefore));
        assertThat(rotation.keyRotationEnabled()).isTrue();
        assertThat(rotation.rotationPeriodInDays()).isEqualTo(180);
        assertThat(world.kms().listKeyRotations(b -> b.keyId(atlasKeyBefore)).rotations())
                .singleElement().satisfies(r -> assertThat(r.rotationTypeAsString()).isEqualTo("ON_DEMAND"));
        assertThat(projectKeys()).as("no new key").hasSize(1);
        assertThat(projectKeys().get(atlasKeyBefore)).containsEntry(KeyTags.STATE, "active");

        ExecutionResult second = results.get(1);
        assertThat(second.output().path("outcome").asText()).isEqualTo("skipped");
        assertThat(world.kms().listKeyRotations(b -> b.keyId(atlasKeyBefore)).rotations()).hasSize(1);
    }

    @Test
    void cooldown_secondRunSoonAfterARotationIsSkipped_andCreatesNothing() {
        List<ExecutionResult> results = play(Scenario.COOLDOWN);

        assertThat(results.get(0).output().path("outcome").asText()).isEqualTo("rotated");
        ExecutionResult second = results.get(1);
        assertThat(second.succeeded()).as(second.error() + ": " + second.cause()).isTrue();
        assertThat(second.output().path("outcome").asText()).isEqualTo("skipped");
        assertThat(second.output().path("reason").asText()).containsIgnoringCase("cooldown");
        assertThat(second.statesEntered()).doesNotContain("CreateKey");
        assertThat(projectKeys()).hasSize(2);
        assertThat(keySwitches()).as("Atlas switched keys once (refused tries while its role could not use the new key yet do not switch)").isEqualTo(1);
        assertThat(world.project().awsKms().keyId()).isEqualTo(newKeyOf(results.get(0)));
    }

    @Test
    void alert_signedWebhookDeliveryStartsARotation_andARepeatedDeliveryOfTheSameAlertStartsNothing() {
        List<ExecutionResult> results = play(Scenario.ALERT);

        assertThat(results).as("the first delivery published one event and the rule started one execution; the repeat"
                + " was recognised by its alert id and started nothing").hasSize(1);
        ExecutionResult first = results.get(0);
        assertThat(first.succeeded()).as(first.error() + ": " + first.cause()).isTrue();
        assertThat(first.output().path("outcome").asText()).isEqualTo("rotated");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("(delivery 2): webhook answered 200 ignored");

        List<BusEvent> alerts = world.aws().eventBridge().publishedEvents().stream()
                .filter(e -> "atlas-cmk-rotator.webhook".equals(e.envelope().path("source").asText())).toList();
        assertThat(alerts).hasSize(1).allSatisfy(e -> {
            // the alert rule starts the rotation; the Record rule (every source of the rotator) archives the alert
            assertThat(e.matchedRules()).containsExactlyInAnyOrder(AlertPath.RULE_NAME, SandboxWorld.RECORD_RULE);
            assertThat(e.envelope().path("detail").path("projectId").asText()).isEqualTo(PROJECT_ID);
        });
        assertThat(projectKeys()).as("one rotation, one new key").hasSize(2);
        assertThat(keySwitches()).as("Atlas switched keys once (refused tries while its role could not use the new key yet do not switch)").isEqualTo(1);
        assertThat(world.project().awsKms().keyId()).isEqualTo(newKeyOf(first));
    }

    @Test
    void alert_ofAProjectNotInTheRegistry_startsNothing_untilAnOperatorRegistersIt_withoutARedeploy() {
        AlertPath alerts = new AlertPath(world);
        String body = alerts.exampleAlertBody();
        world.registry().remove(PROJECT_ID);

        var ignored = alerts.deliver(body);
        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(ignored.outcome()).isEqualTo("ignored");
        assertThat(alerts.takeStarts()).isEmpty();

        world.registry().put(new io.atlascmk.rotator.registry.RegisteredProject(PROJECT_ID, SandboxWorld.REGION, null, null,
                null, io.atlascmk.rotator.registry.RegisteredProject.SOURCE_CLI, world.clock().instant()));
        var accepted = alerts.deliver(body);
        assertThat(accepted.outcome()).isEqualTo("accepted");
        assertThat(alerts.takeStarts()).singleElement().satisfies(start ->
                assertThat(start.path("projectId").asText()).isEqualTo(PROJECT_ID));
    }

    @Test
    void alert_aDeliveryWithABadSignatureIsRefused_andStartsNothing() {
        SandboxSeed.seed(world);
        AlertPath alerts = new AlertPath(world);
        String body = alerts.exampleAlertBody();
        var forged = new io.atlascmk.rotator.alert.WebhookRequest("POST", Map.of("x-mms-event", "alert.open",
                "x-mms-signature", io.atlascmk.rotator.alert.WebhookSignature.sign("not-the-secret",
                        body.getBytes(StandardCharsets.UTF_8))), body, false);

        var response = new io.atlascmk.rotator.alert.AtlasWebhookProcessor(
                new io.atlascmk.rotator.alert.SecretsManagerWebhookSecret(world.secretsManager(), AlertPath.WEBHOOK_SECRET_NAME),
                new io.atlascmk.rotator.alert.EventBridgeAlertPublisher(world.eventBridge(), SandboxWorld.EVENT_BUS)).handle(forged);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(world.aws().eventBridge().publishedEvents()).isEmpty();
        assertThat(alerts.takeStarts()).isEmpty();
    }

    @Test
    void tenStartsOfOneProjectAtOnce_switchAtlasExactlyOnce_andTheOthersAreSkippedNamingTheHolder() throws Exception {
        SandboxSeed.seed(world);
        java.util.List<java.util.concurrent.Callable<ExecutionResult>> starts = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String trigger = i == 0 ? "schedule" : i == 9 ? "manual" : "alert";
            String name = trigger + "-race-" + i;
            com.fasterxml.jackson.databind.node.ObjectNode input = Json.MAPPER.createObjectNode()
                    .put("projectId", PROJECT_ID).put("trigger", trigger);
            starts.add(() -> world.execute(name, input, event -> { }));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        List<ExecutionResult> results = new java.util.ArrayList<>();
        try {
            for (java.util.concurrent.Future<ExecutionResult> f : pool.invokeAll(starts)) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        List<ExecutionResult> rotated = results.stream().filter(r -> "rotated".equals(r.output().path("outcome").asText())).toList();
        List<ExecutionResult> skipped = results.stream().filter(r -> "skipped".equals(r.output().path("outcome").asText())).toList();
        assertThat(rotated).as("exactly one rotation").hasSize(1);
        assertThat(skipped).hasSize(9);
        assertThat(keySwitches()).as("Atlas switched once").isEqualTo(1);
        assertThat(skipped).allSatisfy(r -> assertThat(r.output().path("reason").asText()).contains("being rotated by"));
        assertThat(projectKeys().values().stream().filter(t -> "active".equals(t.get(KeyTags.STATE))).count())
                .as("one active key").isEqualTo(1);
        assertThat(world.lock().read(PROJECT_ID).orElseThrow().held()).as("released at the end").isFalse();
    }

    @Test
    void theReadmesRecoveryAdvice_aFailureAfterTheSwitch_thenANewExecutionWithTheSameInput_finishesTheRotation() {
        SandboxSeed.seed(world);
        java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        world.afterStep("CheckDeployment", out -> {
            if (failOnce.getAndSet(false)) {
                throw new IllegalStateException("simulated: the CheckDeployment function crashed after reading Atlas");
            }
        });
        com.fasterxml.jackson.databind.node.ObjectNode input = Json.MAPPER.createObjectNode()
                .put("projectId", PROJECT_ID).put("trigger", "manual");

        ExecutionResult failed = world.execute("manual-failed", input, event -> { });
        String switchedTo = world.project().awsKms().keyId();
        world.clock().advance(java.time.Duration.ofMinutes(30)); // the operator reads the Rotation Failed event, then acts
        ExecutionResult again = world.execute("manual-again", input, event -> { });

        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.statesEntered()).contains("NotifyFailureAfterSwitch", "ReleaseLock");
        assertThat(again.succeeded()).as(again.error() + ": " + again.cause()).isTrue();
        assertThat(again.output().path("outcome").asText()).isEqualTo("skipped");
        assertThat(again.output().path("reason").asText()).contains("Finished rotation manual-failed");
        Map<String, Map<String, String>> keys = projectKeys();
        assertThat(keys.get(switchedTo)).containsEntry(KeyTags.STATE, "active");
        assertThat(keys.values().stream().filter(t -> "retired".equals(t.get(KeyTags.STATE))).count()).isEqualTo(1);
        assertThat(keySwitches()).as("no second switch").isEqualTo(1);
        assertThat(world.lock().read(PROJECT_ID).orElseThrow().held()).isFalse();
    }

    @Test
    void aHolderThatCrashedAfterTheSwitch_keepsTheLockWhileItRuns_andTheNextStartTakesOverOnlyOnceItHasEnded() {
        SandboxSeed.seed(world);
        java.util.concurrent.atomic.AtomicBoolean crashOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        world.afterStep("CheckDeployment", out -> {
            if (crashOnce.getAndSet(false)) {
                throw new IllegalStateException("simulated: the holder crashed right after the switch");
            }
        });
        world.failLockReleases(true); // and its end could not release the lock
        com.fasterxml.jackson.databind.node.ObjectNode input = Json.MAPPER.createObjectNode()
                .put("projectId", PROJECT_ID).put("trigger", "manual");

        ExecutionResult holder = world.execute("manual-holder", input, event -> { });
        world.failLockReleases(false);
        String switchedTo = world.project().awsKms().keyId();
        world.reportRunning("manual-holder", true); // Step Functions still shows it running
        world.clock().advance(java.time.Duration.ofMinutes(30));
        ExecutionResult whileItRuns = world.execute("schedule-while-running", input, event -> { });
        world.reportRunning("manual-holder", false); // now it has ended
        ExecutionResult afterItEnded = world.execute("schedule-after-end", input, event -> { });

        assertThat(holder.succeeded()).isFalse();
        assertThat(whileItRuns.output().path("outcome").asText()).isEqualTo("skipped");
        assertThat(whileItRuns.output().path("reason").asText()).contains("being rotated by manual-holder");
        assertThat(afterItEnded.succeeded()).as(afterItEnded.error() + ": " + afterItEnded.cause()).isTrue();
        assertThat(afterItEnded.output().path("reason").asText()).contains("Finished rotation manual-holder");
        assertThat(keySwitches()).as("the holder's switch is the only one").isEqualTo(1);
        assertThat(projectKeys().get(switchedTo)).containsEntry(KeyTags.STATE, "active");
        assertThat(world.lock().read(PROJECT_ID).orElseThrow().held()).isFalse();
    }

    /** Key changes Atlas took since the seed: one AWS_ENCRYPTION_KEY_ROTATED event each (a refused PATCH records none). */
    private long keySwitches() {
        return world.project().events().stream().filter(e -> e.eventTypeName().equals("AWS_ENCRYPTION_KEY_ROTATED"))
                .filter(e -> !e.created().isBefore(SandboxWorld.START)).count();
    }
}
