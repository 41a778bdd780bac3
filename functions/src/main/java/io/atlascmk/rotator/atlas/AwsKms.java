package io.atlascmk.rotator.atlas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code awsKms} object of a project's encryption-at-rest configuration.
 *
 * @param enabled                  customer key management through AWS KMS is on
 * @param customerMasterKeyID      the CMK Atlas uses: a key id, a multi-Region id or a key ARN
 * @param region                   Atlas region name of the key, e.g. {@code US_EAST_1}
 * @param roleId                   the Atlas cloud provider access role id (write-only in Atlas)
 * @param requirePrivateNetworking null when not set
 * @param valid                    read-only: Atlas can encrypt and decrypt with the key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AwsKms(
        Boolean enabled,
        String customerMasterKeyID,
        String region,
        String roleId,
        Boolean requirePrivateNetworking,
        Boolean valid) {

    public boolean isEnabled() {
        return Boolean.TRUE.equals(enabled);
    }

    public boolean isValid() {
        return Boolean.TRUE.equals(valid);
    }

    /** The same configuration naming another key; {@code valid} is dropped (Atlas computes it). */
    public AwsKms withCustomerMasterKeyID(String keyId) {
        return new AwsKms(enabled, keyId, region, roleId, requirePrivateNetworking, null);
    }
}
