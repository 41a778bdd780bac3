package io.atlascmk.rotator.rotation;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.atlas.Cluster;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckDeploymentStepTest {

    private static final int SETTLE = 300;
    private static final int DEADLINE = 21_600;
    private static final int FIRST_WAIT = 60;
    private static final int MAX_WAIT = 900;

    private final RotationWorld world = RotationWorld.managed();
    private CreateKeyResult newKey;
    private Instant switchedAt;

    /** Creates the new key and switches Atlas to it. */
    private void switchToNewKey() {
        newKey = world.createKey();
        switchedAt = world.switchTo(newKey).switchedAt();
    }

    private CheckDeploymentResult check(int attempt) {
        return new CheckDeploymentStep(world.deps()).check(new CheckDeploymentRequest(PROJECT, ROTATION,
                newKey.keyId(), switchedAt, attempt, SETTLE, DEADLINE, FIRST_WAIT, MAX_WAIT));
    }

    @Test
    void checkWaits_whileAwsEncryptedClustersAreUpdating_withGrowingCappedWaits() {
        switchToNewKey();

        CheckDeploymentResult first = check(0);
        CheckDeploymentResult second = check(1);
        CheckDeploymentResult late = check(10);

        assertThat(first.status()).isEqualTo("waiting");
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.busyClusters()).containsExactly("Cluster0 (UPDATING)", "Shard0 (UPDATING)");
        assertThat(first.waitSeconds()).isEqualTo(60);
        assertThat(second.waitSeconds()).isEqualTo(120);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(late.waitSeconds()).isEqualTo(MAX_WAIT);
    }

    @Test
    void checkIgnoresClustersNotEncryptedWithAwsKms() {
        world.atlas.cluster(new Cluster("Plain", "REPLICASET", "UPDATING", "NONE", true, false));
        switchToNewKey();
        world.atlas.finishUpdates();
        world.atlas.state("Plain", "UPDATING");
        world.clock.advance(Duration.ofSeconds(SETTLE));

        assertThat(check(3).status()).isEqualTo("deployed");
    }

    @Test
    void checkWaitsForTheSettleTime_evenWhenEveryClusterIsIdle_thenReportsDeployed() {
        switchToNewKey();
        world.atlas.finishUpdates();
        world.clock.advance(Duration.ofSeconds(100));

        CheckDeploymentResult settling = check(1);
        world.clock.advance(Duration.ofSeconds(200));
        CheckDeploymentResult deployed = check(2);

        assertThat(settling.status()).isEqualTo("waiting");
        assertThat(settling.waitSeconds()).as("what remains of the settle time").isEqualTo(200);
        assertThat(settling.busyClusters()).isEmpty();
        assertThat(deployed.status()).isEqualTo("deployed");
        assertThat(deployed.waitSeconds()).isZero();
    }

    @Test
    void checkWaits_whileANewKeysPolicyMayStillBePropagating_thenReportsRejected() {
        newKey = world.createKey();
        world.atlas.rejectKey(newKey.keyId());
        switchedAt = world.switchTo(newKey).switchedAt();

        CheckDeploymentResult early = check(0);
        world.clock.advance(DeploymentCheck.PROPAGATION_GRACE);
        CheckDeploymentResult result = check(1);

        assertThat(early.status()).isEqualTo("waiting");
        assertThat(early.reason()).contains("not valid yet").contains("five minutes");
        assertThat(result.status()).isEqualTo("rejected");
        assertThat(result.reason()).contains("not valid");
    }

    @Test
    void checkReportsExpired_afterTheDeadline_whenStillNotDeployed() {
        switchToNewKey();
        world.clock.advance(Duration.ofSeconds(DEADLINE + 1));

        CheckDeploymentResult result = check(12);

        assertThat(result.status()).isEqualTo("expired");
        assertThat(result.busyClusters()).hasSize(2);
        assertThat(result.reason()).contains("deadline");
    }

    @Test
    void checkReportsDeployed_evenPastTheDeadline_whenTheDeploymentIsComplete() {
        switchToNewKey();
        world.atlas.finishUpdates();
        world.clock.advance(Duration.ofSeconds(DEADLINE + 1));

        assertThat(check(12).status()).isEqualTo("deployed");
    }

    @Test
    void checkNeverWaitsFarPastTheDeadline() {
        switchToNewKey();
        world.clock.advance(Duration.ofSeconds(DEADLINE - 30));

        CheckDeploymentResult result = check(10);

        assertThat(result.status()).isEqualTo("waiting");
        assertThat(result.waitSeconds()).isEqualTo(31);
    }

    @Test
    void checkWaits_whileAtlasStillNamesTheOldKey() {
        newKey = world.createKey();
        switchedAt = world.clock.instant();

        CheckDeploymentResult result = check(0);

        assertThat(result.status()).isEqualTo("waiting");
        assertThat(world.atlas.patches()).isEmpty();
    }

    @Test
    void backoffDoublesFromTheFirstWaitAndStopsAtTheCap() {
        assertThat(CheckDeploymentStep.backoff(0, 60, 900)).isEqualTo(60);
        assertThat(CheckDeploymentStep.backoff(3, 60, 900)).isEqualTo(480);
        assertThat(CheckDeploymentStep.backoff(4, 60, 900)).isEqualTo(900);
        assertThat(CheckDeploymentStep.backoff(Integer.MAX_VALUE, 60, 900)).isEqualTo(900);
    }

    @Test
    void checkOnlyReads_neverWritingToKmsOrAtlas() {
        switchToNewKey();
        world.resetRecording();

        for (int attempt = 0; attempt < 4; attempt++) {
            check(attempt);
            world.clock.advance(Duration.ofMinutes(10));
        }
        world.atlas.finishUpdates();
        check(4);

        assertThat(world.kms.totalWrites()).isZero();
        assertThat(world.atlas.patches()).isEmpty();
    }
}
