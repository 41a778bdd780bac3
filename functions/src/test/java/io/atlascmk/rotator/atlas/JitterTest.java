package io.atlascmk.rotator.atlas;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** SnapStart: environments restored from one snapshot must not draw the same retry delays. */
class JitterTest {

    private static List<Double> draws(Jitter jitter) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            out.add(jitter.getAsDouble());
        }
        return out;
    }

    @Test
    void twoRestoresOfOneSnapshot_drawDifferentDelays_whereWithoutTheRestoreHookTheyWouldRepeat() {
        // Two environments restored from one snapshot start with the same state: the same seed at init.
        AtomicInteger seedsTaken = new AtomicInteger();
        SecureRandom fresh = new SecureRandom();
        LongSupplier initThenFresh = () -> seedsTaken.getAndIncrement() < 2 ? 42L : fresh.nextLong();
        Jitter first = new Jitter(initThenFresh);
        Jitter second = new Jitter(initThenFresh);
        assertThat(draws(new Jitter(() -> 42L))).as("the problem: a frozen seed repeats")
                .isEqualTo(draws(new Jitter(() -> 42L)));

        first.afterRestore(null);
        second.afterRestore(null);

        List<Double> a = draws(first);
        List<Double> b = draws(second);
        assertThat(a).isNotEqualTo(b);
        assertThat(a).allSatisfy(d -> assertThat(d).isBetween(0.0, 1.0));
    }

    @Test
    void theClientsDefaultJitter_isTheRestoreSafeOne() {
        assertThat(AtlasClientConfig.builder().build().jitter()).isInstanceOf(Jitter.class);
    }
}
