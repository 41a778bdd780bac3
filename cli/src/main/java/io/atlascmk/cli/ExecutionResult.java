package io.atlascmk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How a local execution ended.
 *
 * @param name      the execution name (the rotation id)
 * @param succeeded true when the execution succeeded
 * @param output    the execution output (the report) when it succeeded, else null
 * @param error     the error name when it failed, else null
 * @param cause     the failure's cause when it failed, else null
 * @param events    the whole event log, in order
 */
public record ExecutionResult(String name, boolean succeeded, JsonNode output, String error, String cause,
                              List<ExecutionEvent> events) {

    public ExecutionResult {
        events = List.copyOf(events);
    }

    /** Names of the states entered, in order. */
    public List<String> statesEntered() {
        return events.stream().filter(e -> "StateEntered".equals(e.type())).map(ExecutionEvent::state).toList();
    }

    /** Names of the states retried, once per retry. */
    public List<String> statesRetried() {
        return events.stream().filter(e -> "StateRetried".equals(e.type())).map(ExecutionEvent::state).toList();
    }
}
