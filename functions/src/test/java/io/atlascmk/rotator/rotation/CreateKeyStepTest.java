package io.atlascmk.rotator.rotation;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.kms.DuplicateRotationKeyException;
import io.atlascmk.rotator.kms.FakeKmsClient;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.KmsUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreateKeyStepTest {

    @Test
    void createKey_createsOneSymmetricKeyTaggedPendingForProjectAndRotation_inTheCurrentKeysRegion() {
        RotationWorld world = RotationWorld.managed();

        CreateKeyResult result = world.createKey();

        assertThat(result.created()).isTrue();
        assertThat(result.region()).isEqualTo("us-east-1");
        assertThat(result.multiRegion()).isFalse();
        assertThat(result.keyArn()).endsWith(":key/" + result.keyId());
        FakeKmsClient.FakeKey key = world.kms.key(result.keyArn());
        assertThat(key.tags()).containsEntry(KeyTags.PROJECT, PROJECT)
                .containsEntry(KeyTags.ROTATION, ROTATION)
                .containsEntry(KeyTags.STATE, KeyState.PENDING.tagValue());
        assertThat(key.enabled()).isTrue();
        assertThat(world.kms.writes("CreateKey")).isEqualTo(1);
        assertThat(world.kms.writes("TagResource")).as("tags are part of CreateKey").isZero();
        assertThat(world.regionsAsked).containsOnly("us-east-1");
    }

    @Test
    void createKeyRerun_returnsTheKeyItAlreadyCreated_withoutCreatingAnother() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult first = world.createKey();

        CreateKeyResult again = world.createKey();

        assertThat(again.created()).isFalse();
        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(again.keyArn()).isEqualTo(first.keyArn());
        assertThat(world.kms.writes("CreateKey")).isEqualTo(1);
    }

    @Test
    void createKey_createsMultiRegionPrimary_whenTheCurrentKeyIsMultiRegion() {
        RotationWorld world = new RotationWorld();
        world.currentKeyArn = world.kms.seed().multiRegion()
                .ledger(PROJECT, RotationWorld.PREVIOUS_ROTATION, KeyState.ACTIVE).create();
        world.atlas.awsKms(world.currentKeyArn, "US_EAST_1", RotationWorld.ROLE_ID);

        CreateKeyResult result = world.createKey();

        assertThat(result.multiRegion()).isTrue();
        assertThat(result.keyId()).startsWith("mrk-");
        assertThat(world.kms.key(result.keyArn()).multiRegion()).isTrue();
    }

    @Test
    void createKey_usesTheRegionOfAnArn_withoutAskingAtlas() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.resetRecording();

        new CreateKeyStep(world.deps()).createKey(new CreateKeyRequest(PROJECT, ROTATION, world.currentKeyArn));

        assertThat(world.atlas.calls()).isEmpty();
        assertThat(world.regionsAsked).containsOnly("us-east-1");
    }

    @Test
    void createKey_refuses_whenTwoKeysAlreadyClaimTheRotation() {
        RotationWorld world = RotationWorld.managed();
        world.kms.seed().ledger(PROJECT, ROTATION, KeyState.PENDING).create();
        world.kms.seed().ledger(PROJECT, ROTATION, KeyState.PENDING).create();
        world.resetRecording();

        assertThatThrownBy(world::createKey).isInstanceOf(DuplicateRotationKeyException.class);
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void createKey_letsKmsThrottlingThrough_asTheTransientTypeTheWorkflowRetries() {
        RotationWorld world = RotationWorld.managed();
        world.kms.failNext("CreateKey", FakeKmsClient.throttling());

        assertThatThrownBy(world::createKey).isExactlyInstanceOf(KmsUnavailableException.class);
        assertThat(world.createKey().created()).as("the retry creates the key").isTrue();
        assertThat(world.kms.keys()).hasSize(2);
    }

    @Test
    void createKey_crashAfterEachWriteAndRerun_endsWithExactlyOneNewKey() {
        int crashPoints = CrashAndRerun.assertSameEndStateAfterCrashAtEveryWrite(RotationWorld::managed,
                RotationWorld::createKey);

        assertThat(crashPoints).isEqualTo(1);
        RotationWorld world = RotationWorld.managed();
        world.kms.crashAfterAnyWrite(1);
        assertThatThrownBy(world::createKey).isInstanceOf(io.atlascmk.rotator.kms.SimulatedCrashException.class);
        world.kms.clearFaults();
        world.createKey();
        List<FakeKmsClient.FakeKey> ofRotation = world.kms.keys().stream()
                .filter(k -> ROTATION.equals(k.tag(KeyTags.ROTATION))).toList();
        assertThat(ofRotation).hasSize(1);
    }

    @Test
    void anotherRotationsPendingKey_isReportedAsAnAnomaly_neverATieToBreak_andThisRotationGoesOn() {
        RotationWorld world = RotationWorld.managed();
        String racing = world.kms.seed().ledger(PROJECT, "alert-racing", KeyState.PENDING)
                .createdAt(RotationWorld.START.minusSeconds(5)).create();
        world.running.add("alert-racing");

        CreateKeyResult result = world.createKey();

        assertThat(result.created()).isTrue();
        assertThat(world.kms.key(result.keyArn()).ledgerState()).isEqualTo(KeyState.PENDING);
        assertThat(world.kms.key(racing).ledgerState()).as("left alone").isEqualTo(KeyState.PENDING);
        assertThat(result.anomalies()).singleElement().asString().contains(world.kms.key(racing).keyId())
                .contains("alert-racing");
    }

    @Test
    void createKeyGoesOn_whenTheRacingRotationsPendingKeyIsYounger_orItsRunHasEnded() {
        RotationWorld world = RotationWorld.managed();
        world.kms.seed().ledger(PROJECT, "younger", KeyState.PENDING)
                .createdAt(RotationWorld.START.plusSeconds(5)).create();
        world.kms.seed().ledger(PROJECT, "dead", KeyState.PENDING)
                .createdAt(RotationWorld.START.minusSeconds(60)).create();
        world.running.add("younger");

        CreateKeyResult result = world.createKey();

        assertThat(result.created()).isTrue();
        assertThat(world.kms.key(result.keyArn()).ledgerState()).isEqualTo(KeyState.PENDING);
    }

    @Test
    void aRotationWhoseKeyWasAbandoned_cannotGoOnWithIt() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult first = world.createKey();
        world.kms.tagResource(b -> b.keyId(first.keyArn()).tags(t -> t.tagKey(KeyTags.STATE).tagValue("abandoned")));

        CreateKeyResult again = world.createKey();

        assertThat(again.created()).isFalse();
        assertThat(world.kms.writes("CreateKey")).isEqualTo(1);
        assertThatThrownBy(() -> world.grant(again)).isInstanceOf(KeyNotInRotationException.class);
        assertThatThrownBy(() -> world.switchTo(again)).isInstanceOf(KeyNotInRotationException.class);
    }
}
