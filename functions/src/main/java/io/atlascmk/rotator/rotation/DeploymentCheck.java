package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.rotation.DeploymentStatus.Phase;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Decides, from one read of Atlas, whether the switch to the new key is complete. Pure: the
 * CheckDeployment step reads Atlas and passes what it read.
 *
 * <p>Waits grow from {@link #FIRST_WAIT}, doubling per attempt, up to {@link #MAX_WAIT}. When the
 * only thing left is the settle time, the wait is exactly what remains of it (within those bounds).
 * The overall deadline belongs to the state machine.
 */
public final class DeploymentCheck {

    public static final Duration FIRST_WAIT = Duration.ofSeconds(30);
    public static final Duration MAX_WAIT = Duration.ofMinutes(5);
    /**
     * KMS takes up to five minutes to let a new key policy (and tag-based permissions) take effect everywhere,
     * so Atlas may call a key "not valid" that it can use minutes later. Within this long after the switch,
     * {@code valid: false} means "wait", not "roll back".
     */
    public static final Duration PROPAGATION_GRACE = Propagation.ATLAS_KEY_ACCESS;

    private DeploymentCheck() {
    }

    /**
     * @param ear        the project's encryption-at-rest configuration as read now
     * @param clusters   every cluster of the project as read now
     * @param newKeyRef  the key the rotation switched to (id, ARN or mrk- id)
     * @param switchedAt when Atlas accepted the switch
     * @param settle     how long to keep waiting after the switch even when everything looks done
     *                   (clusters may report {@code IDLE} before they start re-wrapping)
     * @param now        the time of this check
     * @param attempt    how many checks came before this one (0 for the first)
     */
    public static DeploymentStatus evaluate(EncryptionAtRest ear, List<Cluster> clusters, String newKeyRef,
                                            Instant switchedAt, Duration settle, Instant now, int attempt) {
        if (ear == null || clusters == null || switchedAt == null || settle == null || now == null) {
            throw new IllegalArgumentException("The encryption-at-rest configuration, clusters, switch time, settle time and now are required.");
        }
        if (settle.isNegative() || attempt < 0) {
            throw new IllegalArgumentException("settle and attempt must not be negative (settle " + settle + ", attempt " + attempt + ").");
        }
        String newKeyId = KeyIds.keyId(newKeyRef);
        int next = attempt == Integer.MAX_VALUE ? attempt : attempt + 1;
        AwsKms kms = ear.awsKms();

        if (kms == null || !kms.isEnabled()) {
            return waiting(attempt, next, List.of(), "Atlas reports customer key management with AWS KMS as off; waiting for it "
                    + "to name key " + newKeyId + " (if someone turned encryption at rest off, the rotation will time out).");
        }
        if (!KeyIds.sameKey(kms.customerMasterKeyID(), newKeyId)) {
            return waiting(attempt, next, List.of(), "Atlas names key " + kms.customerMasterKeyID()
                    + ", not yet the new key " + newKeyId + ".");
        }
        if (Boolean.FALSE.equals(kms.valid()) && now.isBefore(switchedAt.plus(PROPAGATION_GRACE))) {
            return waiting(attempt, next, List.of(), "Atlas names the new key " + newKeyId + " but reports it not valid"
                    + " yet; its policy was written minutes ago and KMS takes up to five minutes to apply it everywhere."
                    + " Waiting until " + switchedAt.plus(PROPAGATION_GRACE) + " before deciding it is refused.");
        }
        if (Boolean.FALSE.equals(kms.valid())) {
            return new DeploymentStatus(Phase.REJECTED, 0, next, List.of(), "Atlas names the new key " + newKeyId
                    + " but reports it not valid: the Atlas role cannot use it. The rotation rolls back to the previous key; "
                    + "check that the key is enabled and its policy grants the Atlas role kms:Encrypt, kms:Decrypt and kms:DescribeKey.");
        }
        if (!kms.isValid()) {
            return waiting(attempt, next, List.of(), "Atlas names the new key " + newKeyId + " but has not reported it valid yet.");
        }
        List<String> busy = busyAwsClusters(clusters);
        if (!busy.isEmpty()) {
            return waiting(attempt, next, busy, busy.size() + " AWS-encrypted cluster(s) are still being re-encrypted with key "
                    + newKeyId + ": " + String.join(", ", busy) + ".");
        }
        Instant settled = switchedAt.plus(settle);
        if (now.isBefore(settled)) {
            Duration remaining = Duration.between(now, settled);
            long seconds = Math.max(1, Math.min(ceilSeconds(remaining), MAX_WAIT.getSeconds()));
            return new DeploymentStatus(Phase.WAITING, seconds, next, List.of(), "Atlas uses key " + newKeyId
                    + " and every AWS-encrypted cluster is idle; settling until " + settled + ".");
        }
        return new DeploymentStatus(Phase.DEPLOYED, 0, next, List.of(), "Atlas uses key " + newKeyId
                + ", reports it valid, and every AWS-encrypted cluster is idle since the switch at " + switchedAt + " settled.");
    }

    /** The AWS-encrypted clusters that are not IDLE, as {@code name (STATE)}: still re-wrapping their keys. */
    static List<String> busyAwsClusters(List<Cluster> clusters) {
        return clusters.stream()
                .filter(Cluster::encryptedWithAwsKms)
                .filter(c -> !c.isIdle())
                .map(c -> c.name() + " (" + c.stateName() + ")")
                .toList();
    }

    /** The wait before check {@code attempt + 1}: 30 s, 60 s, 120 s, 240 s, then 300 s. */
    public static Duration backoff(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
        long seconds = FIRST_WAIT.getSeconds();
        for (int i = 0; i < attempt && seconds < MAX_WAIT.getSeconds(); i++) {
            seconds *= 2;
        }
        return Duration.ofSeconds(Math.min(seconds, MAX_WAIT.getSeconds()));
    }

    private static DeploymentStatus waiting(int attempt, int next, List<String> busy, String message) {
        return new DeploymentStatus(Phase.WAITING, backoff(attempt).getSeconds(), next, busy, message);
    }

    private static long ceilSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }
}
