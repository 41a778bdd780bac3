package io.atlascmk.rotator.atlas;

import java.time.Duration;

/**
 * Waits between retries. Production code uses {@link #SYSTEM}; tests inject a recorder that advances
 * a fake clock, so retry tests run instantly and can assert every wait.
 */
@FunctionalInterface
public interface Sleeper {

    /** Blocks the calling thread for {@code Thread.sleep}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
