package io.atlascmk.rotator.rotation;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.ROLE_ID;
import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import org.junit.jupiter.api.Test;

class RollbackStepTest {

    private static RollbackResult rollback(RotationWorld world, CreateKeyResult newKey) {
        return new RollbackStep(world.deps()).rollback(new RollbackRequest(PROJECT, ROTATION, world.currentKeyId(),
                newKey.keyId(), "Atlas reports the new key as not valid (valid: false)"));
    }

    /** The workflow's loop: check, and while waiting let Atlas's clusters finish re-encrypting. */
    private static RollbackResult rollbackUntilDone(RotationWorld world, CreateKeyResult newKey) {
        RollbackResult result = rollback(world, newKey);
        for (int checks = 1; !result.status().equals(RollbackResult.DONE); checks++) {
            assertThat(checks).isLessThan(5);
            world.atlas.finishUpdates();
            result = rollback(world, newKey);
        }
        return result;
    }

    private static RotationWorld rejectedSwitch() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        world.atlas.rejectKey(newKey.keyId());
        world.switchTo(newKey);
        return world;
    }

    @Test
    void rollbackSwitchesAtlasBack_andTagsTheNewKeyAbandoned_oldKeyStaysActive() {
        RotationWorld world = rejectedSwitch();
        CreateKeyResult newKey = world.createKey();

        RollbackResult result = rollback(world, newKey);

        assertThat(result.switchedBack()).isTrue();
        assertThat(result.status()).isEqualTo(RollbackResult.WAITING);
        assertThat(world.kms.key(newKey.keyArn()).ledgerState()).as("not abandoned while the clusters re-encrypt")
                .isEqualTo(KeyState.PENDING);
        assertThat(rollback(world, newKey).status()).as("still re-encrypting back").isEqualTo(RollbackResult.WAITING);
        world.atlas.finishUpdates();
        result = rollback(world, newKey);

        assertThat(result.status()).isEqualTo(RollbackResult.DONE);
        assertThat(result.atlasKeyId()).isEqualTo(world.currentKeyId());
        assertThat(result.abandonedKeyId()).isEqualTo(newKey.keyId());
        assertThat(world.atlas.currentKey()).isEqualTo(world.currentKeyId());
        assertThat(world.atlas.patches()).last().satisfies(p -> {
            assertThat(p.roleId()).isEqualTo(ROLE_ID);
            assertThat(p.region()).isEqualTo("US_EAST_1");
            assertThat(p.enabled()).isTrue();
        });
        assertThat(world.kms.key(newKey.keyArn()).ledgerState()).isEqualTo(KeyState.ABANDONED);
        assertThat(world.kms.key(newKey.keyArn()).tag(KeyTags.RETIRED_AT)).isEqualTo(world.clock.instant().toString());
        assertThat(world.kms.key(newKey.keyArn()).enabled()).isTrue();
        assertThat(world.kms.key(world.currentKeyArn).ledgerState()).isEqualTo(KeyState.ACTIVE);
    }

    @Test
    void rollbackSendsTheOldKeysArn_whenAtlasHoldsAnArn() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.awsKms(world.currentKeyArn, "US_EAST_1", ROLE_ID);
        CreateKeyResult newKey = world.createKey();
        world.switchTo(newKey);

        rollbackUntilDone(world, newKey);

        assertThat(world.atlas.currentKey()).isEqualTo(world.currentKeyArn);
    }

    @Test
    void rollbackOnlyAbandons_whenAtlasNeverSwitched() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        world.resetRecording();

        RollbackResult result = rollback(world, newKey);

        assertThat(result.switchedBack()).isFalse();
        assertThat(world.atlas.patches()).isEmpty();
        assertThat(world.kms.key(newKey.keyArn()).ledgerState()).isEqualTo(KeyState.ABANDONED);
    }

    @Test
    void rollbackRefuses_whenTheNewKeyWasAlreadyFinalized() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.rotated(java.time.Duration.ZERO);
        world.resetRecording();

        assertThatThrownBy(() -> new RollbackStep(world.deps()).rollback(new RollbackRequest(PROJECT, ROTATION,
                world.currentKeyId(), newKey.keyId(), "late"))).isInstanceOf(KeyNotInRotationException.class);
        assertThat(world.atlas.patches()).isEmpty();
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void rollback_crashAfterEachWriteAndRerun_endsOnTheOldKeyWithTheNewKeyAbandoned() {
        int crashPoints = CrashAndRerun.assertSameEndStateAfterCrashAtEveryWrite(RollbackStepTest::rejectedSwitch,
                w -> rollbackUntilDone(w, w.createKey()));

        assertThat(crashPoints).as("PATCH back, tag abandoned").isEqualTo(2);
    }
}
