package io.atlascmk.sandbox.atlas;

/**
 * A project's {@code awsKms} configuration as the simulator holds it, with {@code valid} computed now
 * (the Atlas role can use the key, according to {@link io.atlascmk.sandbox.KeyAccess}).
 *
 * @param customerMasterKeyID       as last written: a key id, an mrk- id or a key ARN (null when never set)
 * @param requirePrivateNetworking  null when never set
 */
public record AwsKmsConfig(
        boolean enabled,
        String customerMasterKeyID,
        String region,
        String roleId,
        Boolean requirePrivateNetworking,
        boolean valid) {

    /** The bare key id of {@code customerMasterKeyID} (what snapshots record), or null. */
    public String keyId() {
        return customerMasterKeyID == null ? null : KmsKeyRefs.keyId(customerMasterKeyID);
    }
}
