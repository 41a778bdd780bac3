package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.kms.KeyIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * CheckDeployment: one look at Atlas in the AwaitDeployment loop. {@link DeploymentCheck} decides
 * (deployed only when Atlas names the new key, reports it valid, every AWS-encrypted cluster is
 * {@code IDLE} and the settle time since the switch has passed; rejected when Atlas names the new key
 * and reports it not valid); this step adds the deadline and the workflow's wait bounds:
 *
 * <ul>
 *   <li>{@code expired} when now is after {@code switchedAt + deadlineSeconds} and the check is
 *       neither deployed nor rejected (a deployment finished or rejected at the last moment is
 *       reported as such);</li>
 *   <li>{@code waitSeconds} grows from {@code firstWaitSeconds}, doubling per attempt, capped at
 *       {@code maxWaitSeconds}; while only the settle time is left, it is what remains of it (at
 *       least 1 s); and never much past the deadline (the next check then reports expired).</li>
 * </ul>
 *
 * <p>Reads only.
 */
public final class CheckDeploymentStep {

    private final AtlasApi atlas;
    private final Clock clock;

    public CheckDeploymentStep(StepDependencies deps) {
        this.atlas = deps.atlas();
        this.clock = deps.clock();
    }

    public CheckDeploymentResult check(CheckDeploymentRequest request) {
        String projectId = request.projectId();
        EncryptionAtRest ear = atlas.getEncryptionAtRest(projectId);
        List<Cluster> clusters = atlas.listClusters(projectId);
        Instant now = clock.instant();
        Duration settle = Duration.ofSeconds(request.settleSeconds());
        DeploymentStatus status = DeploymentCheck.evaluate(ear, clusters, request.newKeyId(), request.switchedAt(),
                settle, now, request.attempt());
        int next = status.nextAttempt();
        Instant deadline = request.switchedAt().plusSeconds(request.deadlineSeconds());

        switch (status.phase()) {
            case DEPLOYED:
                return new CheckDeploymentResult(CheckDeploymentResult.DEPLOYED, next, 0, List.of(), status.message());
            case REJECTED:
                return new CheckDeploymentResult(CheckDeploymentResult.REJECTED, next, 0, status.busyClusters(),
                        status.message());
            default:
                break;
        }
        if (now.isAfter(deadline)) {
            return new CheckDeploymentResult(CheckDeploymentResult.EXPIRED, next, 0, status.busyClusters(),
                    "The deployment deadline (" + request.deadlineSeconds() + " s after the switch at "
                            + request.switchedAt() + ", i.e. " + deadline + ") has passed: " + status.message());
        }
        long wait = onlySettleLeft(ear, clusters, request.newKeyId())
                ? clamp(secondsUntil(now, request.switchedAt().plus(settle)), 1, request.maxWaitSeconds())
                : backoff(request.attempt(), request.firstWaitSeconds(), request.maxWaitSeconds());
        wait = Math.min(wait, Math.max(1, secondsUntil(now, deadline) + 1));
        return new CheckDeploymentResult(CheckDeploymentResult.WAITING, next, wait, status.busyClusters(),
                status.message());
    }

    /** {@code first * 2^attempt}, capped at {@code max}. */
    static long backoff(int attempt, long first, long max) {
        long seconds = first;
        for (int i = 0; i < attempt && seconds < max; i++) {
            seconds *= 2;
        }
        return Math.min(seconds, max);
    }

    private static boolean onlySettleLeft(EncryptionAtRest ear, List<Cluster> clusters, String newKeyId) {
        AwsKms kms = ear.awsKms();
        return kms != null && kms.isEnabled() && kms.isValid() && KeyIds.sameKey(kms.customerMasterKeyID(), newKeyId)
                && clusters.stream().filter(Cluster::encryptedWithAwsKms).allMatch(Cluster::isIdle);
    }

    private static long secondsUntil(Instant now, Instant then) {
        Duration d = Duration.between(now, then);
        return d.isNegative() ? 0 : d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
