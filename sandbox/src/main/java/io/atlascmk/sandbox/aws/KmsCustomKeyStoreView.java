package io.atlascmk.sandbox.aws;

import java.time.Instant;

/**
 * A snapshot of one custom key store of the KMS stand-in: a CloudHSM key store, as
 * DescribeCustomKeyStores would report it.
 *
 * @param customKeyStoreId  {@code cks-} and 17 hexadecimal digits, the shape of KMS's ids
 * @param cloudHsmClusterId the CloudHSM cluster the sandbox made up for the key store
 * @param connected         whether the key store is {@code CONNECTED}; else it is {@code DISCONNECTED}
 */
public record KmsCustomKeyStoreView(
        String customKeyStoreId,
        String customKeyStoreName,
        String region,
        String cloudHsmClusterId,
        boolean connected,
        Instant creationDate) {

    /** KMS's {@code ConnectionState}: {@code CONNECTED} or {@code DISCONNECTED}. */
    public String connectionState() {
        return connected ? "CONNECTED" : "DISCONNECTED";
    }

    /** KMS's {@code CustomKeyStoreType}: the sandbox has only CloudHSM key stores. */
    public String customKeyStoreType() {
        return "AWS_CLOUDHSM";
    }
}
