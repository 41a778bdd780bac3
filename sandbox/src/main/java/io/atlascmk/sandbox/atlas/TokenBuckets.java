package io.atlascmk.sandbox.atlas;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One {@link AtlasRateLimit} bucket per project, refilled in wall-clock time (a rate limit is about how
 * fast requests really come, not about the sandbox's scenario time, which only moves when told).
 * Thread-safe.
 */
final class TokenBuckets {

    private final AtlasRateLimit limit;
    private final LongSupplier nanoTime;
    private final double tokensPerNano;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }

    TokenBuckets(AtlasRateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
        this.tokensPerNano = limit.refillPerMinute() / 60e9;
    }

    AtlasRateLimit limit() {
        return limit;
    }

    /**
     * Takes a token from the project's bucket. Returns 0 when one was there, else the whole seconds to
     * wait until one will be (at least 1): the request is refused and takes nothing.
     */
    synchronized long take(String scope) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.computeIfAbsent(scope, s -> new Bucket(limit.capacity(), now));
        b.tokens = Math.min(limit.capacity(), b.tokens + (now - b.refilledAt) * tokensPerNano);
        b.refilledAt = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - b.tokens) / tokensPerNano / 1e9));
    }
}
