package io.atlascmk.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's notion of "now": starts at a fixed instant (or the real time) and only moves when
 * told to, so a scenario can let snapshots expire or a deployment settle without waiting. Every
 * stand-in reads time from one shared instance. Thread-safe.
 */
public final class SandboxClock extends Clock {

    private final AtomicReference<Instant> now;

    public SandboxClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The sandbox clock is always UTC.");
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves time forward; never backwards. */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("The sandbox clock only moves forward; got " + by + ".");
        }
        return now.updateAndGet(t -> t.plus(by));
    }
}
