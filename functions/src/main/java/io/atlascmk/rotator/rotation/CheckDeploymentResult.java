package io.atlascmk.rotator.rotation;

import java.util.List;

/**
 * Output of CheckDeployment, stored by the workflow at {@code $.deployment}.
 *
 * @param status       {@code deployed}, {@code waiting}, {@code rejected} or {@code expired}
 * @param attempt      the attempt number for the next check (this one's plus one)
 * @param waitSeconds  for {@code waiting}: the Wait state's seconds before the next check; else 0
 * @param busyClusters AWS-encrypted clusters not {@code IDLE} yet, as "name (STATE)"
 * @param reason       what was seen
 */
public record CheckDeploymentResult(String status, int attempt, long waitSeconds, List<String> busyClusters,
        String reason) {

    public static final String DEPLOYED = "deployed";
    public static final String WAITING = "waiting";
    public static final String REJECTED = "rejected";
    public static final String EXPIRED = "expired";

    public CheckDeploymentResult {
        busyClusters = List.copyOf(busyClusters);
    }
}
