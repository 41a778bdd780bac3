package io.atlascmk.sandbox.aws;

import java.time.Instant;

/** A snapshot of one KMS alias. {@code targetKeyId} is the bare key id, as ListAliases reports it. */
public record KmsAliasView(
        String aliasName,
        String aliasArn,
        String region,
        String targetKeyId,
        Instant creationDate,
        Instant lastUpdatedDate) {
}
