package io.atlascmk.rotator.atlas;

/**
 * A token-bucket rate limit as Atlas applies it to a set of endpoints, per project: at most
 * {@code capacity} requests at once (the burst), then {@code refillPerMinute} a minute.
 *
 * @param capacity        the burst: tokens the bucket holds when full
 * @param refillPerMinute tokens that come back a minute
 */
public record RateLimit(int capacity, int refillPerMinute) {

    /** Atlas's Cloud Backups endpoint set (snapshot lists, snapshots, backup schedule): burst 1,200, 500 a minute. */
    public static final RateLimit ATLAS_CLOUD_BACKUPS = new RateLimit(1200, 500);

    public RateLimit {
        if (capacity < 1) {
            throw new IllegalArgumentException("A rate limit's capacity is 1 or more, not " + capacity);
        }
        if (refillPerMinute < 1) {
            throw new IllegalArgumentException("A rate limit refills 1 or more tokens a minute, not " + refillPerMinute);
        }
    }
}
