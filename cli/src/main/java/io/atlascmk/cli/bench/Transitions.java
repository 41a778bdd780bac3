package io.atlascmk.cli.bench;

import io.atlascmk.cli.ExecutionEvent;
import java.util.List;
import java.util.Set;

/** State transitions of one execution, counted from its event log as Step Functions bills them (a state entered). */
public record Transitions(int entered, int inLoop, int retried, int tasksEntered) {

    /** The CheckDeployment wait loop: the Wait, the check, and the choice that sends it round again. */
    public static final Set<String> WAIT_LOOP = Set.of("WaitForDeployment", "CheckDeployment", "IsDeployed");

    /** Entered outside the loop. */
    public int outsideLoop() {
        return entered - inLoop;
    }

    /**
     * Counts {@code StateEntered} events (all, and those of {@code loopStates}), {@code StateRetried} events, and the
     * states entered whose name is in {@code taskStates}.
     */
    public static Transitions count(List<ExecutionEvent> events, Set<String> loopStates, Set<String> taskStates) {
        int entered = 0;
        int loop = 0;
        int retried = 0;
        int tasks = 0;
        for (ExecutionEvent e : events) {
            if ("StateEntered".equals(e.type())) {
                entered++;
                if (loopStates.contains(e.state())) {
                    loop++;
                }
                if (taskStates.contains(e.state())) {
                    tasks++;
                }
            } else if ("StateRetried".equals(e.type())) {
                retried++;
            }
        }
        return new Transitions(entered, loop, retried, tasks);
    }

    /** How many times {@code state} was entered. */
    public static int entered(List<ExecutionEvent> events, String state) {
        return (int) events.stream().filter(e -> "StateEntered".equals(e.type()) && state.equals(e.state())).count();
    }
}
