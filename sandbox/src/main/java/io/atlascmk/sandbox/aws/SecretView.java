package io.atlascmk.sandbox.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one secret, without its value (values come only from
 * {@link SecretsManagerStandIn#currentSecretString}, so a view can be printed or logged safely).
 *
 * @param versionIdsToStages every version id with its staging labels, oldest first
 */
public record SecretView(
        String name,
        String arn,
        String region,
        String description,
        String kmsKeyId,
        Instant createdDate,
        Map<String, List<String>> versionIdsToStages,
        Map<String, String> tags) {

    public SecretView {
        versionIdsToStages = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(versionIdsToStages));
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }
}
