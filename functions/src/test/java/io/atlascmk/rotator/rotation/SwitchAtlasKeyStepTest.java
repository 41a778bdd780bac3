package io.atlascmk.rotator.rotation;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.ROLE_ID;
import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.atlas.AtlasConflictException;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.kms.KeyState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SwitchAtlasKeyStepTest {

    @Test
    void switchSendsFullArn_whenAtlasHoldsAnArnToday() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.awsKms(world.currentKeyArn, "US_EAST_1", ROLE_ID);
        CreateKeyResult newKey = world.createKey();
        world.grant(newKey);

        SwitchAtlasKeyResult result = world.switchTo(newKey);

        assertThat(result.switched()).isTrue();
        assertThat(result.customerMasterKeyID()).isEqualTo(newKey.keyArn());
        assertThat(world.atlas.patches()).singleElement()
                .extracting(AwsKms::customerMasterKeyID).isEqualTo(newKey.keyArn());
    }

    @Test
    void switchSendsKeyId_whenAtlasHoldsAKeyIdToday() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();

        SwitchAtlasKeyResult result = world.switchTo(newKey);

        assertThat(result.customerMasterKeyID()).isEqualTo(newKey.keyId());
        assertThat(world.atlas.currentKey()).isEqualTo(newKey.keyId());
    }

    @Test
    void switchSendsTheWholeAwsKmsObject_keepingRegionRoleAndPrivateNetworking() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.awsKms(new AwsKms(true, world.currentKeyId(), "US_EAST_1", ROLE_ID, true, null));
        CreateKeyResult newKey = world.createKey();

        SwitchAtlasKeyResult result = world.switchTo(newKey);

        assertThat(world.atlas.patches()).containsExactly(
                new AwsKms(true, newKey.keyId(), "US_EAST_1", ROLE_ID, true, null));
        assertThat(result.switchedAt()).isEqualTo(world.clock.instant());
    }

    @Test
    void switchIsANoOp_whenAtlasAlreadyNamesTheNewKey_andTakesSwitchedAtFromAtlasEvent() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        SwitchAtlasKeyResult first = world.switchTo(newKey);
        world.clock.advance(Duration.ofMinutes(7));
        world.resetRecording();

        SwitchAtlasKeyResult again = world.switchTo(newKey);

        assertThat(again.switched()).isFalse();
        assertThat(again.switchedAt()).isEqualTo(first.switchedAt());
        assertThat(again.customerMasterKeyID()).isEqualTo(newKey.keyId());
        assertThat(world.atlas.patches()).isEmpty();
    }

    @Test
    void switchIsANoOp_withSwitchedAtNow_whenAtlasHasNoRotationEvent() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        world.atlas.awsKms(newKey.keyId(), "US_EAST_1", ROLE_ID);
        world.clock.advance(Duration.ofMinutes(3));

        SwitchAtlasKeyResult result = world.switchTo(newKey);

        assertThat(result.switched()).isFalse();
        assertThat(result.switchedAt()).isEqualTo(world.clock.instant());
    }

    @Test
    void switchRefuses_whenTheKeyIsNotTaggedPendingForThisProjectAndRotation() {
        RotationWorld world = RotationWorld.managed();
        String otherRotations = world.kms.seed().ledger(PROJECT, "someone-else", KeyState.PENDING).create();
        String otherProjects = world.kms.seed().ledger("6a6a6a6a6a6a6a6a6a6a6a6a", ROTATION, KeyState.PENDING).create();
        String untagged = world.kms.seedKey();
        world.resetRecording();

        for (String arn : new String[] {otherRotations, otherProjects, untagged, world.currentKeyArn}) {
            String id = world.kms.key(arn).keyId();
            assertThatThrownBy(() -> new SwitchAtlasKeyStep(world.deps())
                    .switchKey(new SwitchAtlasKeyRequest(PROJECT, ROTATION, id, arn)))
                    .isInstanceOf(KeyNotInRotationException.class);
        }
        assertThat(world.atlas.patches()).isEmpty();
        assertThat(world.atlas.currentKey()).isEqualTo(world.currentKeyId());
    }

    @Test
    void switchRefuses_whenTheProjectNoLongerUsesAwsKms() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        world.atlas.azureKeyVault();

        assertThatThrownBy(() -> world.switchTo(newKey)).isInstanceOf(RotationRefusedException.class);
        assertThat(world.atlas.patches()).isEmpty();
    }

    @Test
    void switchLetsAtlasRefusalThrough_withItsType() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        world.atlas.failNextPatch(() -> new AtlasConflictException("conflict", 409, "CANNOT_MODIFY", null));

        assertThatThrownBy(() -> world.switchTo(newKey)).isExactlyInstanceOf(AtlasConflictException.class);
        assertThat(world.atlas.currentKey()).isEqualTo(world.currentKeyId());
    }

    @Test
    void switch_crashAfterEachWriteAndRerun_leavesAtlasOnTheNewKey() {
        int crashPoints = CrashAndRerun.assertSameEndStateAfterCrashAtEveryWrite(() -> {
            RotationWorld w = RotationWorld.managed();
            w.grant(w.createKey());
            return w;
        }, w -> w.switchTo(w.createKey()));

        assertThat(crashPoints).isEqualTo(1);
    }
}
