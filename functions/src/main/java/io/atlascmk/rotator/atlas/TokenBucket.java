package io.atlascmk.rotator.atlas;

import java.util.function.LongSupplier;

/**
 * The client's copy of one of Atlas's rate-limit buckets, so that the client waits rather than provoke a
 * 429. Each request reserves a token before it is sent and waits, if it must, until the token is there:
 * reservations keep their order, so waiting requests do not race for each refill.
 *
 * <p>Atlas counts a request when it arrives, not when it was sent; requests that overtake one another on
 * the way could find Atlas's bucket a token or two emptier than this copy. The copy therefore holds
 * {@link #ARRIVAL_MARGIN} tokens fewer than Atlas's bucket (never less than one). A 429 all the same (the
 * bucket was already partly used, by another client or an earlier run) empties the copy: {@link #drain()}.
 *
 * <p>Wall-clock (monotonic) time; thread-safe.
 */
final class TokenBucket {

    /** Tokens held back from Atlas's capacity: the requests that may be on their way at once. */
    static final int ARRIVAL_MARGIN = 8;

    private final double capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoTime;
    /** May go below zero: reserved tokens not yet refilled. */
    private double tokens;
    private long refilledAt;

    TokenBucket(RateLimit limit, LongSupplier nanoTime) {
        this.capacity = Math.max(1, limit.capacity() - ARRIVAL_MARGIN);
        this.tokensPerNano = limit.refillPerMinute() / 60e9;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Reserves a token; returns how many nanoseconds to wait before sending (0: at once). */
    synchronized long reserve() {
        refill();
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / tokensPerNano);
    }

    /** Atlas said the bucket is empty: nothing is left beyond the reservations already made. */
    synchronized void drain() {
        refill();
        tokens = Math.min(tokens, 0);
    }

    /** Tokens available now (negative while requests wait for theirs). */
    synchronized double available() {
        refill();
        return tokens;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + Math.max(0, now - refilledAt) * tokensPerNano);
        refilledAt = now;
    }
}
