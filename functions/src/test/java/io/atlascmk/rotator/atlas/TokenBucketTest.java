package io.atlascmk.rotator.atlas;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's copy of an Atlas rate-limit bucket, on a clock the test moves. */
class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    /** Atlas's bucket of 20, 60 a minute (one a second): the copy holds 8 fewer. */
    private final TokenBucket bucket = new TokenBucket(new RateLimit(20, 60), now::get);

    @Test
    void theBurstLessTheArrivalMargin_goesAtOnce_thenOneRequestPerRefilledToken() {
        for (int i = 0; i < 20 - TokenBucket.ARRIVAL_MARGIN; i++) {
            assertThat(bucket.reserve()).as("request %d", i + 1).isZero();
        }

        assertThat(bucket.reserve()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(bucket.reserve()).as("reservations queue up").isEqualTo(TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void refillsAtTheLimitsRate_upToItsCapacity() {
        for (int i = 0; i < 12; i++) {
            bucket.reserve();
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertThat(bucket.available()).isEqualTo(3.0);

        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertThat(bucket.available()).isEqualTo(12.0);
    }

    @Test
    void a429EmptiesTheCopy_soTheNextRequestsWaitForTheRefill() {
        bucket.reserve();

        bucket.drain();

        assertThat(bucket.available()).isZero();
        assertThat(bucket.reserve()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aBucketSmallerThanTheMargin_stillLetsOneRequestGo() {
        TokenBucket tiny = new TokenBucket(new RateLimit(3, 60), now::get);

        assertThat(tiny.reserve()).isZero();
        assertThat(tiny.reserve()).isPositive();
    }
}
