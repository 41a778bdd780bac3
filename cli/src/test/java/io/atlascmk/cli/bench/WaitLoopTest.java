package io.atlascmk.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WaitLoopTest {

    @Test
    void waitsDoubleFromTheFirstToTheLongest() {
        // checks at 60, 120, 240, 480, 960, 1860, 2760 s
        assertThat(WaitLoop.checks(2430, 60, 900)).isEqualTo(7);
        assertThat(WaitLoop.lastCheckAt(2430, 60, 900)).isEqualTo(2760);
    }

    @Test
    void aDeploymentDoneBeforeTheFirstCheckTakesOne() {
        assertThat(WaitLoop.checks(30, 60, 900)).isEqualTo(1);
        assertThat(WaitLoop.checks(60, 60, 900)).isEqualTo(1);
        assertThat(WaitLoop.checks(61, 60, 900)).isEqualTo(2);
    }

    @Test
    void theCapHolds() {
        assertThat(WaitLoop.backoff(0, 60, 900)).isEqualTo(60);
        assertThat(WaitLoop.backoff(3, 60, 900)).isEqualTo(480);
        assertThat(WaitLoop.backoff(10, 60, 900)).isEqualTo(900);
        assertThatThrownBy(() -> WaitLoop.checks(100, 0, 900)).isInstanceOf(IllegalArgumentException.class);
    }
}
