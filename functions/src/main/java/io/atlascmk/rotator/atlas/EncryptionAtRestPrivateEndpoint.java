package io.atlascmk.rotator.atlas;

/**
 * A private endpoint through which Atlas reaches the key service for encryption at rest (with
 * {@code requirePrivateNetworking}, the only way it does).
 *
 * @param id            Atlas's id
 * @param cloudProvider {@code AWS}
 * @param regionName    Atlas's spelling of the region, e.g. {@code US_EAST_1}
 * @param status        {@code INITIATING}, {@code PENDING_ACCEPTANCE}, {@code ACTIVE}, {@code FAILED},
 *                      {@code PENDING_RECREATION} or {@code DELETING}
 * @param errorMessage  why it failed, when it did
 */
public record EncryptionAtRestPrivateEndpoint(
        String id,
        String cloudProvider,
        String regionName,
        String status,
        String errorMessage) {

    public static final String ACTIVE = "ACTIVE";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
