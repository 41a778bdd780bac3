package io.atlascmk.sandbox.atlas;

/**
 * An encryption-at-rest private endpoint of a project (AWS only in the simulator).
 *
 * @param regionName   Atlas's spelling, e.g. {@code US_EAST_1}
 * @param status       INITIATING, PENDING_ACCEPTANCE, ACTIVE, FAILED, PENDING_RECREATION or DELETING
 * @param errorMessage null unless it failed
 */
public record EarPrivateEndpoint(String id, String regionName, String status, String errorMessage) {

    static final java.util.Set<String> STATUSES = java.util.Set.of("INITIATING", "PENDING_ACCEPTANCE", "ACTIVE", "FAILED",
            "PENDING_RECREATION", "DELETING");
}
