package io.atlascmk.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of an execution's event log, as the local engine reports it ({@code ExecutionStarted},
 * {@code StateEntered}, {@code StateExited}, {@code StateFailed}, {@code StateRetried},
 * {@code StateCaught}, {@code ExecutionSucceeded}, {@code ExecutionFailed}).
 *
 * @param type  the event type
 * @param state the state's name for state events, else null
 * @param raw   the whole event as the engine wrote it
 */
public record ExecutionEvent(String type, String state, JsonNode raw) {

    static ExecutionEvent of(JsonNode raw) {
        JsonNode state = raw.path("state").path("name");
        return new ExecutionEvent(raw.path("type").asText(), state.isMissingNode() ? null : state.asText(), raw);
    }

    public JsonNode stateInput() {
        return raw.path("state").path("input");
    }

    public JsonNode stateOutput() {
        return raw.path("state").path("output");
    }
}
