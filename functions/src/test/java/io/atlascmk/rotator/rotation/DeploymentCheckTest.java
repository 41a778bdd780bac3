package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.rotation.DeploymentStatus.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.atlascmk.rotator.rotation.Fixtures.NOW;
import static io.atlascmk.rotator.rotation.Fixtures.arn;
import static io.atlascmk.rotator.rotation.Fixtures.keyId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentCheckTest {

    private static final String OLD = keyId(1);
    private static final String NEW = keyId(2);
    private static final Duration SETTLE = Duration.ofMinutes(10);
    private static final Instant SWITCHED = NOW.minus(Duration.ofMinutes(30));

    private static EncryptionAtRest atlas(String keyRef, Boolean valid) {
        return new EncryptionAtRest(new AwsKms(true, keyRef, "US_EAST_1", "role-1", null, valid), false, false);
    }

    private static Cluster cluster(String name, String state, String provider) {
        return new Cluster(name, "REPLICASET", state, provider, true, false);
    }

    private static final List<Cluster> ALL_IDLE = List.of(cluster("a", "IDLE", "AWS"), cluster("b", "IDLE", "AWS"));

    @Test
    void deploymentIsComplete_whenAtlasNamesTheNewKeyByArnValidAllIdleAndSettled() {
        DeploymentStatus status = DeploymentCheck.evaluate(atlas(arn("us-east-1", NEW), true), ALL_IDLE, NEW, SWITCHED, SETTLE, NOW, 3);

        assertThat(status.phase()).isEqualTo(Phase.DEPLOYED);
        assertThat(status.waitSeconds()).isZero();
        assertThat(status.busyClusters()).isEmpty();
    }

    @Test
    void deploymentIsComplete_atTheInstantTheSettleTimeEnds() {
        DeploymentStatus status = DeploymentCheck.evaluate(atlas(NEW, true), ALL_IDLE, NEW, NOW.minus(SETTLE), SETTLE, NOW, 0);

        assertThat(status.phase()).isEqualTo(Phase.DEPLOYED);
    }

    @Test
    void deploymentWaits_whileAtlasStillNamesTheOldKey() {
        DeploymentStatus status = DeploymentCheck.evaluate(atlas(OLD, true), ALL_IDLE, NEW, SWITCHED, SETTLE, NOW, 0);

        assertThat(status.phase()).isEqualTo(Phase.WAITING);
        assertThat(status.waitSeconds()).isEqualTo(30);
        assertThat(status.nextAttempt()).isEqualTo(1);
        assertThat(status.message()).contains(OLD).contains(NEW);
    }

    @Test
    void deploymentIsRejected_whenAtlasNamesTheNewKeyButFindsItInvalid() {
        DeploymentStatus status = DeploymentCheck.evaluate(atlas(NEW.toUpperCase(), false), ALL_IDLE, arn("us-east-1", NEW),
                SWITCHED, SETTLE, NOW, 2);

        assertThat(status.phase()).isEqualTo(Phase.REJECTED);
        assertThat(status.message()).contains("rolls back").contains("kms:Decrypt");
    }

    @Test
    void aNewKeyAtlasCallsInvalidRightAfterTheSwitch_isWaitedFor_untilThePropagationGraceEnds() {
        Instant justAfter = SWITCHED.plusSeconds(90);
        Instant lastMoment = SWITCHED.plus(DeploymentCheck.PROPAGATION_GRACE).minusSeconds(1);
        Instant graceOver = SWITCHED.plus(DeploymentCheck.PROPAGATION_GRACE);

        assertThat(DeploymentCheck.evaluate(atlas(NEW, false), ALL_IDLE, NEW, SWITCHED, SETTLE, justAfter, 0).phase())
                .isEqualTo(Phase.WAITING);
        assertThat(DeploymentCheck.evaluate(atlas(NEW, false), ALL_IDLE, NEW, SWITCHED, SETTLE, lastMoment, 3).phase())
                .isEqualTo(Phase.WAITING);
        assertThat(DeploymentCheck.evaluate(atlas(NEW, false), ALL_IDLE, NEW, SWITCHED, SETTLE, graceOver, 4).phase())
                .isEqualTo(Phase.REJECTED);
    }

    @Test
    void deploymentWaits_whenAtlasHasNotSaidWhetherTheNewKeyIsValid() {
        assertThat(DeploymentCheck.evaluate(atlas(NEW, null), ALL_IDLE, NEW, SWITCHED, SETTLE, NOW, 0).phase())
                .isEqualTo(Phase.WAITING);
    }

    @Test
    void deploymentWaits_whenAtlasReportsAwsKmsOff() {
        EncryptionAtRest off = new EncryptionAtRest(new AwsKms(false, NEW, "US_EAST_1", "role-1", null, true), false, false);

        assertThat(DeploymentCheck.evaluate(off, ALL_IDLE, NEW, SWITCHED, SETTLE, NOW, 0).phase()).isEqualTo(Phase.WAITING);
        assertThat(DeploymentCheck.evaluate(new EncryptionAtRest(null, false, false), ALL_IDLE, NEW, SWITCHED, SETTLE, NOW, 0)
                .phase()).isEqualTo(Phase.WAITING);
    }

    @Test
    void deploymentWaits_listingTheAwsEncryptedClustersThatAreNotIdle_andIgnoringOthers() {
        List<Cluster> clusters = List.of(cluster("a", "IDLE", "AWS"), cluster("b", "UPDATING", "AWS"),
                cluster("c", "REPAIRING", "AWS"), cluster("plain", "UPDATING", "NONE"));

        DeploymentStatus status = DeploymentCheck.evaluate(atlas(NEW, true), clusters, NEW, SWITCHED, SETTLE, NOW, 1);

        assertThat(status.phase()).isEqualTo(Phase.WAITING);
        assertThat(status.busyClusters()).containsExactly("b (UPDATING)", "c (REPAIRING)");
        assertThat(status.waitSeconds()).isEqualTo(60);
    }

    @Test
    void deploymentWaitsExactlyTheRestOfTheSettleTime_whenNothingElseIsLeft() {
        Instant switched = NOW.minus(Duration.ofMinutes(8)).minusMillis(500);

        DeploymentStatus status = DeploymentCheck.evaluate(atlas(NEW, true), ALL_IDLE, NEW, switched, SETTLE, NOW, 9);

        assertThat(status.phase()).isEqualTo(Phase.WAITING);
        assertThat(status.waitSeconds()).isEqualTo(120);
        assertThat(status.message()).contains("settling");
    }

    @Test
    void deploymentWaitsAtMostTheCap_whenTheSettleTimeIsLong() {
        DeploymentStatus status = DeploymentCheck.evaluate(atlas(NEW, true), ALL_IDLE, NEW, NOW, Duration.ofHours(1), NOW, 0);

        assertThat(status.waitSeconds()).isEqualTo(DeploymentCheck.MAX_WAIT.getSeconds());
    }

    @Test
    void waitsGrowByDoublingAndStopAtTheCap() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 1000, Integer.MAX_VALUE).stream().map(DeploymentCheck::backoff).map(Duration::getSeconds))
                .containsExactly(30L, 60L, 120L, 240L, 300L, 300L, 300L, 300L);
        assertThat(DeploymentCheck.evaluate(atlas(OLD, true), ALL_IDLE, NEW, SWITCHED, SETTLE, NOW, Integer.MAX_VALUE).nextAttempt())
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void deploymentCheckRejectsMeaninglessInput() {
        assertThatThrownBy(() -> DeploymentCheck.evaluate(atlas(NEW, true), ALL_IDLE, NEW, SWITCHED, SETTLE, NOW, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeploymentCheck.evaluate(atlas(NEW, true), ALL_IDLE, NEW, null, SETTLE, NOW, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeploymentCheck.evaluate(atlas(NEW, true), ALL_IDLE, "alias/new", SWITCHED, SETTLE, NOW, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
