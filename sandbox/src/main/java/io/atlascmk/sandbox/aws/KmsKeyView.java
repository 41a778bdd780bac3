package io.atlascmk.sandbox.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one KMS key, for assertions and the CLI summary.
 *
 * @param state                      the key state DescribeKey reports ({@code Unavailable} while the key's
 *                                   custom key store is disconnected)
 * @param deletionDate               when a key pending deletion will be (or was) deleted; null otherwise
 * @param tags                       in the order they were first set
 * @param policy                     the key policy exactly as it was put
 * @param aliases                    alias names pointing at the key, sorted
 * @param policyLockoutCheckBypassed whether any CreateKey or PutKeyPolicy for this key asked
 *                                   {@code BypassPolicyLockoutSafetyCheck: true}
 * @param origin                     where the key material comes from
 * @param customKeyStoreId           the custom key store holding the key; null for a key outside one
 */
public record KmsKeyView(
        String keyId,
        String arn,
        String region,
        KmsKeyState state,
        String description,
        Instant creationDate,
        Instant deletionDate,
        Map<String, String> tags,
        String policy,
        List<String> aliases,
        boolean multiRegion,
        boolean policyLockoutCheckBypassed,
        KmsKeyOrigin origin,
        String customKeyStoreId) {

    public KmsKeyView {
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        aliases = List.copyOf(aliases);
    }

    public boolean enabled() {
        return state == KmsKeyState.ENABLED;
    }
}
