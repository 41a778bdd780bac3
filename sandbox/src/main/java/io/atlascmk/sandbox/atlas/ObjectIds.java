package io.atlascmk.sandbox.atlas;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Atlas-style 24-hex-digit ids: 8 hex digits of epoch seconds (taken from the sandbox clock, so ids
 * sort by creation like MongoDB ObjectIds) followed by a 16-digit per-simulator counter. Deterministic
 * for a given seeding order.
 */
final class ObjectIds {

    static final Pattern PATTERN = Pattern.compile("^([a-f0-9]{24})$");

    private final AtomicLong counter;

    ObjectIds(long salt) {
        this.counter = new AtomicLong(salt & 0x00ff_ffff_0000_0000L);
    }

    String next(Instant at) {
        long seconds = Math.max(0, at.getEpochSecond()) & 0xffff_ffffL;
        return String.format("%08x%016x", seconds, counter.incrementAndGet());
    }

    static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
