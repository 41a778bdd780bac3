package io.atlascmk.rotator.rotation;

import java.time.Duration;
import java.util.List;

/**
 * Where the key switch stands, for the AwaitDeployment loop.
 *
 * @param phase        deployed, still waiting, or rejected by Atlas
 * @param waitSeconds  for {@link Phase#WAITING}: how long to wait before checking again (the ASL Wait
 *                     state's {@code SecondsPath}); 0 otherwise
 * @param nextAttempt  the attempt number to pass to the next check
 * @param busyClusters AWS-encrypted clusters that are not {@code IDLE} yet
 * @param message      what was seen, for the execution history and notifications
 */
public record DeploymentStatus(
        Phase phase,
        long waitSeconds,
        int nextAttempt,
        List<String> busyClusters,
        String message) {

    public enum Phase {
        /** Atlas names the new key, finds it valid, every AWS-encrypted cluster is idle, and the settle time passed. */
        DEPLOYED,
        /** Not there yet: check again after {@code waitSeconds}. */
        WAITING,
        /** Atlas names the new key but reports it not valid: roll back. */
        REJECTED
    }

    public DeploymentStatus {
        busyClusters = busyClusters == null ? List.of() : List.copyOf(busyClusters);
    }

    public Duration nextWait() {
        return Duration.ofSeconds(waitSeconds);
    }
}
