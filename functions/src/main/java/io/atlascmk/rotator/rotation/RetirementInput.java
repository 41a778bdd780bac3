package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What {@link RetirementPolicy#decide} needs to know about one candidate key, read fresh for every
 * decision.
 *
 * @param key        the candidate key with its tags
 * @param projectId  the Atlas project (group) the audit runs for
 * @param atlasKms   the project's {@code awsKms} configuration as Atlas reports it now; null only when
 *                   Atlas returned no {@code awsKms} object at all
 * @param clusters   every cluster's backups: live clusters and configured terminated ones
 * @param retiredAt  when the key stopped being Atlas's key (its {@code retired-at} tag); null when
 *                   the tag is missing or unreadable
 * @param now        the moment of the decision
 */
public record RetirementInput(
        ManagedKey key,
        String projectId,
        AwsKms atlasKms,
        List<ClusterBackups> clusters,
        Instant retiredAt,
        Instant now) {

    public RetirementInput {
        if (key == null) {
            throw new IllegalArgumentException("A candidate key is required.");
        }
        if (key.keyId() == null && key.arn() == null) {
            throw new IllegalArgumentException("The candidate key has neither a key id nor an ARN.");
        }
        KeyIds.keyId(key.keyId() != null ? key.keyId() : key.arn());
        if (projectId == null || projectId.isBlank()) {
            throw new IllegalArgumentException("A project id is required.");
        }
        if (clusters == null) {
            throw new IllegalArgumentException("The clusters' backups are required (an empty list when the project has none).");
        }
        if (now == null) {
            throw new IllegalArgumentException("The decision time 'now' is required.");
        }
        clusters = List.copyOf(clusters);
    }

    /** The input for a key whose retired-at is read from its {@link KeyTags#RETIRED_AT} tag. */
    public static RetirementInput of(ManagedKey key, String projectId, AwsKms atlasKms,
                                     List<ClusterBackups> clusters, Instant now) {
        return new RetirementInput(key, projectId, atlasKms, clusters, retiredAtTag(key), now);
    }

    /** The key's retired-at tag as an instant; null when the tag is missing or not an ISO-8601 instant. */
    public static Instant retiredAtTag(ManagedKey key) {
        String value = key.tag(KeyTags.RETIRED_AT);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    /** The candidate's normalised key id. */
    public String candidateKeyId() {
        return KeyIds.keyId(key.keyId() != null ? key.keyId() : key.arn());
    }
}
