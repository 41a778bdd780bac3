package io.atlascmk.cli.bench;

/**
 * The CheckDeployment wait loop of {@code rotation.asl.json}, computed: {@code StartAwaitDeployment} waits
 * {@code FirstWaitSeconds}, then each check (attempt 0, 1, ...) that finds the deployment unfinished waits
 * {@code first * 2^attempt} seconds, capped at {@code MaxWaitSeconds} (CheckDeploymentStep's backoff). The deployment
 * is seen done at the first check at or after it is done.
 */
public final class WaitLoop {

    private WaitLoop() {
    }

    /** The checks (loop iterations) until a deployment done {@code doneAfterSeconds} after the switch is seen done. */
    public static int checks(long doneAfterSeconds, long firstWaitSeconds, long maxWaitSeconds) {
        if (firstWaitSeconds <= 0 || maxWaitSeconds < firstWaitSeconds) {
            throw new IllegalArgumentException("first wait must be positive and at most the longest wait");
        }
        long t = firstWaitSeconds;
        int checks = 1;
        for (int attempt = 0; t < doneAfterSeconds; attempt++) {
            t += backoff(attempt, firstWaitSeconds, maxWaitSeconds);
            checks++;
        }
        return checks;
    }

    /** When the last check happens, seconds after the switch. */
    public static long lastCheckAt(long doneAfterSeconds, long firstWaitSeconds, long maxWaitSeconds) {
        long t = firstWaitSeconds;
        for (int attempt = 0; t < doneAfterSeconds; attempt++) {
            t += backoff(attempt, firstWaitSeconds, maxWaitSeconds);
        }
        return t;
    }

    static long backoff(int attempt, long first, long max) {
        long seconds = first;
        for (int i = 0; i < attempt && seconds < max; i++) {
            seconds *= 2;
        }
        return Math.min(seconds, max);
    }
}
