package io.atlascmk.sandbox.atlas;

/**
 * A token-bucket rate limit as Atlas applies it to a set of endpoints, per project: a bucket holds at
 * most {@code capacity} tokens (the burst), each request takes one, and tokens come back at
 * {@code refillPerMinute}. A request that finds the bucket empty is answered 429.
 *
 * <p>The refill is modelled as continuous ({@code refillPerMinute / 60} tokens a second). Atlas's
 * documentation describes "{@code refillRate} tokens every {@code refillDurationSeconds}"; whether they
 * arrive at once or spread over the interval it does not say.
 *
 * @param capacity        the most tokens the bucket holds, and what it holds at first
 * @param refillPerMinute tokens added per minute
 */
public record AtlasRateLimit(int capacity, int refillPerMinute) {

    /** The Cloud Backups endpoint set (snapshot lists, snapshots, backup schedule): burst 1,200, 500 a minute. */
    public static final AtlasRateLimit CLOUD_BACKUPS = new AtlasRateLimit(1200, 500);

    public AtlasRateLimit {
        if (capacity < 1) {
            throw new IllegalArgumentException("A rate limit's capacity is 1 or more; got " + capacity + ".");
        }
        if (refillPerMinute < 1) {
            throw new IllegalArgumentException("A rate limit refills 1 or more tokens a minute; got " + refillPerMinute + ".");
        }
    }
}
