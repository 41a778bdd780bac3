package io.atlascmk.sandbox.atlas;

import java.time.Instant;

/**
 * One HTTP call the simulator answered.
 *
 * @param operation null when the path matched no operation
 * @param query     the raw query string as sent (URL-encoded), null when there was none
 * @param status    the status sent; 0 when the connection was dropped without a response
 * @param at        the sandbox clock when the call arrived
 * @param body      the request's body as sent (a test stand-in may keep a secret here), null when it had none
 */
public record CallRecord(AtlasOperation operation, String method, String path, String query, int status, Instant at,
                         String body) {

    @Override
    public String toString() {
        return "CallRecord[" + method + " " + path + (query == null ? "" : "?" + query) + " -> " + status + " at " + at
                + (body == null ? "" : ", with a body") + "]";
    }
}
