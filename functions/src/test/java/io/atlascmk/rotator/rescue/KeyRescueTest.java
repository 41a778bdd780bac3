package io.atlascmk.rotator.rescue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.rotation.InvalidInputException;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.BusEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tripwire end to end on the sandbox's AWS: a KMS call refused because the key is pending deletion
 * reaches the rule of {@code events/tripwire-rule-pattern.json} through a trail's delivery, and
 * {@link KeyRescue} cancels the deletion of a key this system scheduled, and only of such a key.
 */
class KeyRescueTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    private static final String RESTORER = "arn:aws:iam::111122223333:role/quarterly-restore";
    private static final String BUS = "atlas-cmk-rotator";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final SandboxAws aws = new SandboxAws(clock);
    private final KeyService keys = new KeyService(aws.kms(), io.atlascmk.rotator.kms.FakeKmsClient.DEPLOYMENT);
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final io.atlascmk.rotator.lock.RotationLock lock = io.atlascmk.rotator.lock.TestLocks.fresh(clock,
            running::contains, PROJECT);
    private final KeyRescue rescue = new KeyRescue(region -> keys, clock, new EventBridgeRescueEvents(aws.eventBridge(), BUS),
            lock);
    private final List<RescueResult> results = new ArrayList<>();

    @AfterEach
    void stop() {
        aws.close();
    }

    /** The deployed rule: the tripwire pattern on the default bus, the Rescue handler as its target. */
    private void deployTripwire() throws IOException {
        aws.aws().eventBridge().addRule("Tripwire", Files.readString(Path.of("..", "events", "tripwire-rule-pattern.json")),
                (BusEvent event) -> results.add(rescue.rescue(RescueRequest.fromEvent(event.envelope()))));
    }

    /** A snapshot's data key, encrypted under each key while it could still encrypt. */
    private final Map<String, SdkBytes> dataKeys = new java.util.HashMap<>();

    private String scheduledForDeletion(Map<String, String> tags) {
        return scheduledForDeletion(tags, arn -> { });
    }

    /** As above, {@code retag} changing the key's tags before its deletion is scheduled. */
    private String scheduledForDeletion(Map<String, String> tags, java.util.function.Consumer<String> retag) {
        ManagedKey key = keys.createKey("retired key", tags, false);
        retag.accept(key.arn());
        dataKeys.put(key.arn(), aws.kms().encrypt(b -> b.keyId(key.arn())
                .plaintext(SdkBytes.fromUtf8String("snapshot data key"))).ciphertextBlob());
        keys.scheduleDeletion(key.arn(), 30);
        return key.arn();
    }

    private static Map<String, String> ledger() {
        return Map.of(KeyTags.PROJECT, PROJECT, KeyTags.DEPLOYMENT, io.atlascmk.rotator.kms.FakeKmsClient.DEPLOYMENT, KeyTags.STATE, KeyState.DELETION_SCHEDULED.tagValue(),
                KeyTags.RETIRED_AT, "2026-10-01T00:00:00Z");
    }

    private void restoreAttempt(String keyArn) {
        aws.aws().principals().register("AKIAFUNCTIONSTEST001", RESTORER);
        assertThatThrownBy(() -> aws.kms().decrypt(b -> b.keyId(keyArn).ciphertextBlob(dataKeys.get(keyArn))))
                .isInstanceOf(KmsInvalidStateException.class);
        clock.advance(Duration.ofMinutes(6));
        aws.aws().deliverTrailToEventBridge();
    }

    @Test
    void aRestoreThatNeedsAKeyPendingDeletion_cancelsItsDeletion_enablesIt_andSaysSoUrgently() throws IOException {
        deployTripwire();
        String key = scheduledForDeletion(ledger());

        restoreAttempt(key);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RescueResult.RESCUED);
            assertThat(r.projectId()).isEqualTo(PROJECT);
            assertThat(r.operation()).isEqualTo("Decrypt");
            assertThat(r.caller()).contains("quarterly-restore");
        });
        ManagedKey rescued = keys.describe(key);
        assertThat(rescued.keyState()).isEqualTo("Enabled");
        assertThat(rescued.deletionDate()).isNull();
        assertThat(rescued.state()).isEqualTo(KeyState.RETIRED);
        assertThat(rescued.tag(KeyTags.RESCUED_AT)).isEqualTo(results.get(0).rescuedAt().toString());
        assertThat(rescued.tag(KeyTags.RESCUED_FOR)).contains("quarterly-restore");
        JsonNode event = aws.aws().eventBridge().publishedEvents().stream()
                .filter(e -> e.eventBusName().equals(BUS)).findFirst().orElseThrow().envelope();
        assertThat(event.path("source").asText()).isEqualTo(KeyRescue.SOURCE);
        assertThat(event.path("detail-type").asText()).isEqualTo("Key Deletion Cancelled");
        assertThat(event.path("detail").path("keyArn").asText()).isEqualTo(key);
    }

    @Test
    void aRescueDuringARotationOfTheProject_fencesThatRotationOut_andFreesTheLockAfterwards() throws IOException {
        deployTripwire();
        String key = scheduledForDeletion(ledger());
        running.add("sweep-2026-12-01");
        io.atlascmk.rotator.lock.LockGrant sweep = lock.acquire(PROJECT, "sweep-2026-12-01");

        restoreAttempt(key);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RescueResult.RESCUED);
            assertThat(r.lockTakenFrom()).isEqualTo("sweep-2026-12-01");
            assertThat(r.lockNote()).isNull();
        });
        assertThat(keys.describe(key).keyState()).isEqualTo("Enabled");
        // the sweep's next write (an audit scheduling the deletion again) is refused before it is made
        assertThatThrownBy(() -> lock.confirm(sweep)).isInstanceOf(io.atlascmk.rotator.lock.LockLostException.class);
        assertThat(lock.read(PROJECT).orElseThrow().held()).as("released after the rescue").isFalse();
    }

    @Test
    void withTheLockTableUnreachable_theKeyIsRescuedAllTheSame_andTheResultSaysSo() throws IOException {
        KeyRescue withoutTable = new KeyRescue(region -> keys, clock, new EventBridgeRescueEvents(aws.eventBridge(), BUS),
                new io.atlascmk.rotator.lock.DynamoDbRotationLock(io.atlascmk.rotator.lock.TestLocks.dynamo(),
                        "no-such-table", clock, Duration.ofHours(2), running::contains));
        aws.aws().eventBridge().addRule("Tripwire", Files.readString(Path.of("..", "events", "tripwire-rule-pattern.json")),
                (BusEvent event) -> results.add(withoutTable.rescue(RescueRequest.fromEvent(event.envelope()))));
        String key = scheduledForDeletion(ledger());

        restoreAttempt(key);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RescueResult.RESCUED);
            assertThat(r.lockNote()).contains("without the project's lock").contains("no-such-table");
        });
        assertThat(keys.describe(key).keyState()).isEqualTo("Enabled");
    }

    @Test
    void aKeyThisSystemDoesNotManage_isLeftPendingDeletion() throws IOException {
        deployTripwire();
        String foreign = scheduledForDeletion(Map.of("team", "payments"));

        restoreAttempt(foreign);

        assertThat(results).singleElement().extracting(RescueResult::outcome).isEqualTo(RescueResult.NOT_OURS);
        assertThat(keys.describe(foreign).keyState()).isEqualTo("PendingDeletion");
    }

    @Test
    void aKeyOfAnotherDeployment_orTaggedBeforeDeploymentsExisted_isLeftToItsOwner_notCancelledHere() throws IOException {
        deployTripwire();
        String theirs = scheduledForDeletion(ledger(), arn -> aws.kms().tagResource(b -> b.keyId(arn).tags(
                software.amazon.awssdk.services.kms.model.Tag.builder().tagKey(KeyTags.DEPLOYMENT).tagValue("TeamBRotator")
                        .build())));
        String legacy = scheduledForDeletion(ledger(), arn -> aws.kms().untagResource(b -> b.keyId(arn)
                .tagKeys(KeyTags.DEPLOYMENT)));

        restoreAttempt(theirs);
        restoreAttempt(legacy);

        // another deployment's tripwire rescues its own key; a key of no deployment nobody may: an operator is told
        assertThat(results).extracting(RescueResult::outcome).containsExactly(RescueResult.NOT_OURS,
                RescueResult.NEEDS_OPERATOR);
        assertThat(keys.describe(theirs).keyState()).isEqualTo("PendingDeletion");
        assertThat(keys.describe(legacy).keyState()).isEqualTo("PendingDeletion");
        assertThat(aws.aws().eventBridge().publishedEvents().stream().filter(e -> e.eventBusName().equals(BUS))
                .map(e -> e.envelope().path("detail-type").asText()).toList()).containsExactly("Key Deletion Not Cancelled");
    }

    @Test
    void aRedeliveredEvent_changesNothing_andACrashAfterTheCancelIsFinished() throws IOException {
        String key = scheduledForDeletion(ledger());
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("..", "events", "tripwire-event.json")));
        ((ObjectNode) event.path("detail").path("resources").get(0)).put("ARN", key);
        RescueRequest request = RescueRequest.fromEvent(event);
        aws.kms().cancelKeyDeletion(b -> b.keyId(key)); // the crash: cancelled, still disabled, still tagged deletion-scheduled

        RescueResult finished = rescue.rescue(request);
        RescueResult again = rescue.rescue(request);

        assertThat(finished.outcome()).isEqualTo(RescueResult.RESCUED);
        assertThat(keys.describe(key).keyState()).isEqualTo("Enabled");
        assertThat(keys.describe(key).state()).isEqualTo(KeyState.RETIRED);
        assertThat(again.outcome()).isEqualTo(RescueResult.NOT_PENDING);
    }

    @Test
    void anEventThatNamesNoKey_isRefusedWithTheFieldNamed() throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("..", "events", "tripwire-event.json")));
        ((ObjectNode) event.path("detail")).putArray("resources");

        assertThatThrownBy(() -> RescueRequest.fromEvent(event)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("detail.resources");
        assertThatThrownBy(() -> RescueRequest.fromEvent(Json.MAPPER.readTree("[]"))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theExampleEvent_parses() throws IOException {
        RescueRequest request = RescueRequest.fromEvent(Json.MAPPER.readTree(
                Files.readString(Path.of("..", "events", "tripwire-event.json"))));

        assertThat(request.keyArn()).endsWith(":key/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9");
        assertThat(request.region()).isEqualTo("us-east-1");
        assertThat(request.operation()).isEqualTo("Decrypt");
        assertThat(request.caller()).contains("atlas-encryption-at-rest");
    }
}
