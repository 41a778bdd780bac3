package io.atlascmk.rotator.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.kms.FakeKmsClient;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.KmsKeyView;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key-material method's step on the sandbox's KMS: what it sets, what it rotates, and what it refuses. */
class RotateKeyMaterialStepTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final SandboxAws aws = SandboxAws.withoutPacing(clock);
    private final KeyService keys = new KeyService(aws.kms(), FakeKmsClient.DEPLOYMENT);
    private final RotateKeyMaterialStep step = new RotateKeyMaterialStep(new StepDependencies(new FakeAtlas(PROJECT, clock),
            region -> keys, clock, name -> false, region -> null,
            io.atlascmk.rotator.lock.TestLocks.fresh(clock, name -> false, PROJECT)));

    /** When the run started: each test's runs start a minute apart, so no run counts another's rotation. */
    private Instant started = clock.instant();

    @AfterEach
    void stop() {
        aws.close();
    }

    private KmsKeyView key(String state, String deployment) {
        return aws.aws().kms().createKey("us-east-1", "k", Map.of(KeyTags.PROJECT, PROJECT, KeyTags.DEPLOYMENT, deployment,
                KeyTags.STATE, state));
    }

    private RotateKeyMaterialResult rotate(KmsKeyView key, boolean onDemand) {
        return step.rotate(new RotateKeyMaterialRequest(PROJECT, "manual-1", key.arn(), 180, onDemand, started));
    }

    @Test
    void aScheduledRun_onlyTurnsAutomaticRotationOn_aManualRunAlsoRotatesNow_andNothingIsSetTwice() {
        KmsKeyView key = key("active", FakeKmsClient.DEPLOYMENT);

        RotateKeyMaterialResult scheduled = rotate(key, false);
        RotateKeyMaterialResult manual = rotate(key, true);
        RotateKeyMaterialResult retried = rotate(key, true); // the same run again, after a timeout

        assertThat(scheduled.periodChanged()).isTrue();
        assertThat(scheduled.rotatedOnDemand()).isFalse();
        assertThat(scheduled.lastRotation()).isNull();
        assertThat(manual.periodChanged()).as("already every 180 days").isFalse();
        assertThat(manual.rotatedOnDemand()).isTrue();
        assertThat(manual.lastRotation()).isEqualTo(clock.instant());
        assertThat(manual.keyArn()).isEqualTo(key.arn());
        assertThat(retried.rotatedOnDemand()).isTrue();
        assertThat(aws.kms().listKeyRotations(b -> b.keyId(key.arn())).rotations()).as("rotated once, not twice").hasSize(1);
        assertThat(aws.kms().getKeyRotationStatus(b -> b.keyId(key.arn())).rotationPeriodInDays()).isEqualTo(180);
    }

    @Test
    void refuses_aKeyThatIsNotThisDeploymentsActiveKey_importedMaterial_andTheOnDemandCap() {
        assertThatThrownBy(() -> rotate(key("retired", FakeKmsClient.DEPLOYMENT), true))
                .isInstanceOf(KeyNotInRotationException.class).hasMessageContaining("state=retired");
        assertThatThrownBy(() -> rotate(key("active", "TeamBRotator"), true))
                .isInstanceOf(KeyNotInRotationException.class).hasMessageContaining("deployment=TeamBRotator");

        KmsKeyView capped = key("active", FakeKmsClient.DEPLOYMENT);
        for (int i = 0; i < 10; i++) {
            clock.advance(java.time.Duration.ofMinutes(1));
            started = clock.instant();
            rotate(capped, true);
        }
        clock.advance(java.time.Duration.ofMinutes(1));
        started = clock.instant();
        assertThatThrownBy(() -> rotate(capped, true)).isInstanceOf(KeyMaterialRotationLimitException.class)
                .hasMessageContaining("new-key");
    }
}
