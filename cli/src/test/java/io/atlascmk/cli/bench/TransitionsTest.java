package io.atlascmk.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.cli.ExecutionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransitionsTest {

    @Test
    void countsStatesEnteredOutsideTheWaitLoopAndRetriesApart() {
        List<ExecutionEvent> events = new ArrayList<>();
        events.add(event("ExecutionStarted", null));
        for (String state : List.of("Preflight", "Route", "CreateKey")) {
            events.add(event("StateEntered", state));
            events.add(event("StateExited", state));
        }
        events.add(event("StateRetried", "CreateKey"));
        events.add(event("StateEntered", "StartAwaitDeployment"));
        for (int i = 0; i < 3; i++) {
            events.add(event("StateEntered", "WaitForDeployment"));
            events.add(event("StateEntered", "CheckDeployment"));
            events.add(event("StateEntered", "IsDeployed"));
        }
        events.add(event("StateEntered", "Finalize"));
        events.add(event("ExecutionSucceeded", null));

        Transitions t = Transitions.count(events, Transitions.WAIT_LOOP, Set.of("Preflight", "CreateKey", "CheckDeployment",
                "Finalize"));

        assertThat(t.entered()).isEqualTo(3 + 1 + 9 + 1);
        assertThat(t.inLoop()).isEqualTo(9);
        assertThat(t.outsideLoop()).isEqualTo(5);
        assertThat(t.retried()).isEqualTo(1);
        assertThat(t.tasksEntered()).isEqualTo(2 + 3 + 1);
        assertThat(Transitions.entered(events, "CheckDeployment")).isEqualTo(3);
    }

    private static ExecutionEvent event(String type, String state) {
        return new ExecutionEvent(type, state, io.atlascmk.rotator.json.Json.MAPPER.createObjectNode());
    }
}
