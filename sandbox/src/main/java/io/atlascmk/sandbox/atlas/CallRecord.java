package io.atlascmk.sandbox.atlas;

import java.time.Instant;

/**
 * One HTTP call the simulator answered.
 *
 * @param operation null when the path matched no operation
 * @param query     the raw query string (e.g. {@code itemsPerPage=500&pageNum=2}); null when there was none
 * @param status    the status sent; 0 when the connection was dropped without a response
 * @param at        the sandbox clock when the call arrived
 */
public record CallRecord(AtlasOperation operation, String method, String path, String query, int status, Instant at) {
}
