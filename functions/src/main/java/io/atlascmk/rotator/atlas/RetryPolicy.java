package io.atlascmk.rotator.atlas;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AtlasClient} retries transient failures (429, 5xx, I/O errors, timeouts).
 *
 * <p>Waits use exponential backoff with full jitter: before retry {@code n} (1-based) the client waits a
 * random duration between zero and {@code min(maxDelay, baseDelay * 2^(n-1))}. A 429 that carries
 * {@code Retry-After} waits exactly that long instead, capped at {@code retryAfterCap}. No wait may end
 * after {@code overallDeadline}, counted from the first attempt: a retry that would is not made.
 *
 * @param maxAttempts     attempts in total, the first one included (at least 1)
 * @param baseDelay       backoff of the first retry, before jitter
 * @param maxDelay        cap of the exponential backoff
 * @param overallDeadline time budget of one operation, every attempt and wait included
 * @param retryAfterCap   longest wait a server-sent {@code Retry-After} can impose
 */
public record RetryPolicy(
        int maxAttempts,
        Duration baseDelay,
        Duration maxDelay,
        Duration overallDeadline,
        Duration retryAfterCap) {

    /** 5 attempts, 1 s base, 20 s max backoff, 2 min overall, Retry-After capped at 60 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(
            5, Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofMinutes(2), Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        requirePositive(baseDelay, "baseDelay");
        requirePositive(maxDelay, "maxDelay");
        requirePositive(overallDeadline, "overallDeadline");
        requirePositive(retryAfterCap, "retryAfterCap");
    }

    /** No retries at all: one attempt. */
    public static RetryPolicy noRetries() {
        return new RetryPolicy(1, DEFAULT.baseDelay, DEFAULT.maxDelay, DEFAULT.overallDeadline, DEFAULT.retryAfterCap);
    }

    /**
     * The full-jitter backoff before retry {@code retry} (1-based).
     *
     * @param retry  1 for the wait after the first failed attempt, 2 after the second, ...
     * @param random a value in [0, 1] that picks the point in the jitter window
     */
    public Duration backoff(int retry, double random) {
        long base = baseDelay.toMillis();
        long cap = maxDelay.toMillis();
        long ceiling = cap;
        int shift = Math.max(0, retry - 1);
        if (shift < 31 && base <= (cap >> shift)) {
            ceiling = Math.min(cap, base << shift);
        }
        double u = Math.min(1.0, Math.max(0.0, random));
        return Duration.ofMillis(Math.round(ceiling * u));
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
