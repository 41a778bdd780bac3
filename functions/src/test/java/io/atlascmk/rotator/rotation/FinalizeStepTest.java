package io.atlascmk.rotator.rotation;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.kms.AliasChange;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FinalizeStepTest {

    @Test
    void finalize_tagsNewKeyActive_oldKeyRetiredWithDate_andPointsTheAlias() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.switchedAndDeployed();
        world.clock.advance(Duration.ofHours(2));

        FinalizeResult result = world.finalizeRotation(newKey);

        assertThat(result.activeKeyId()).isEqualTo(newKey.keyId());
        assertThat(result.retiredKeyId()).isEqualTo(world.currentKeyId());
        assertThat(result.retiredAt()).isEqualTo(world.clock.instant());
        assertThat(result.alias()).isEqualTo("alias/atlas-cmk/" + PROJECT);
        assertThat(result.aliasChange()).isEqualTo(AliasChange.CREATED);
        assertThat(world.kms.key(newKey.keyArn()).ledgerState()).isEqualTo(KeyState.ACTIVE);
        assertThat(world.kms.key(world.currentKeyArn).ledgerState()).isEqualTo(KeyState.RETIRED);
        assertThat(world.kms.key(world.currentKeyArn).tag(KeyTags.RETIRED_AT)).isEqualTo(world.clock.instant().toString());
        assertThat(world.kms.key(world.currentKeyArn).enabled()).as("retired keys stay enabled").isTrue();
        assertThat(world.kms.aliasTarget("alias/atlas-cmk/" + PROJECT)).contains(newKey.keyId());
    }

    @Test
    void finalizeMovesAnExistingAlias_andLeavesAdoptedByOnTheOldKey() {
        RotationWorld world = RotationWorld.unmanaged();
        world.kms.tagResource(b -> b.keyId(world.currentKeyArn).tags(
                t -> t.tagKey(KeyTags.PROJECT).tagValue(PROJECT),
                t -> t.tagKey(KeyTags.STATE).tagValue("active"),
                t -> t.tagKey(KeyTags.ADOPTED_BY).tagValue(ROTATION)));
        world.kms.seedAlias("alias/atlas-cmk/" + PROJECT, world.currentKeyArn);
        CreateKeyResult newKey = world.switchedAndDeployed();

        FinalizeResult result = world.finalizeRotation(newKey);

        assertThat(result.aliasChange()).isEqualTo(AliasChange.MOVED);
        assertThat(world.kms.key(world.currentKeyArn).tags()).containsEntry(KeyTags.ADOPTED_BY, ROTATION)
                .doesNotContainKey(KeyTags.ROTATION);
    }

    @Test
    void finalizeRerun_keepsTheFirstRetiredAt_andWritesNothing() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.switchedAndDeployed();
        Instant firstRetiredAt = world.finalizeRotation(newKey).retiredAt();
        world.clock.advance(Duration.ofHours(5));
        world.resetRecording();

        FinalizeResult again = world.finalizeRotation(newKey);

        assertThat(again.retiredAt()).isEqualTo(firstRetiredAt);
        assertThat(again.aliasChange()).isEqualTo(AliasChange.UNCHANGED);
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void finalizeRefuses_whenAtlasDoesNotNameTheNewKey() {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        world.resetRecording();

        assertThatThrownBy(() -> world.finalizeRotation(newKey)).isInstanceOf(AtlasKeyMismatchException.class);
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void finalizeRefuses_toRetireAKeyOutsideTheProjectsLedger() {
        RotationWorld world = RotationWorld.unmanaged();
        CreateKeyResult newKey = world.switchedAndDeployed();
        world.resetRecording();

        assertThatThrownBy(() -> world.finalizeRotation(newKey)).isInstanceOf(KeyNotInRotationException.class);
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void finalize_crashAfterEachWriteAndRerun_endsLikeAnUninterruptedRun() {
        int crashPoints = CrashAndRerun.assertSameEndStateAfterCrashAtEveryWrite(() -> {
            RotationWorld w = RotationWorld.managed();
            w.switchedAndDeployed();
            return w;
        }, w -> w.finalizeRotation(w.createKey()));

        assertThat(crashPoints).as("tag new, tag old, create alias").isEqualTo(3);
    }
}
