package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.trail.UsageEvidence;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 * @param knownKeyIds the key ids the system knows for this project (every key of its ledger, in any
 *                   state); the candidate and Atlas's current key count as known anyway. A snapshot
 *                   naming any other key is an anomaly and is treated as possibly holding the candidate
 * @param minRetirement how long a key stays retired before it may be deleted, whatever the snapshots say
 * @param usage      what CloudTrail says about the key's use since its retirement; null when it was not
 *                   asked (the audit asks only for a key nothing else keeps, and decides again with it:
 *                   a decision without usage evidence never schedules a deletion, see
 *                   {@link RetirementDecision#usageChecked()})
 * @param adoption   for a key this system adopted: who else may need it; null when it was not asked (the
 *                   audit asks only for an adopted key nothing else keeps, and decides again with it)
 * @param now        the moment of the decision
 */
public record RetirementInput(
        ManagedKey key,
        String projectId,
        AwsKms atlasKms,
        List<ClusterBackups> clusters,
        Instant retiredAt,
        Set<String> knownKeyIds,
        Duration minRetirement,
        UsageEvidence usage,
        AdoptionEvidence adoption,
        Instant now) {

    /** The minimum retirement age when a project sets none. */
    public static final Duration DEFAULT_MIN_RETIREMENT = Duration.ofDays(30);
    /** The shortest minimum retirement age a project may set. */
    public static final Duration SHORTEST_MIN_RETIREMENT = Duration.ofDays(7);

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
        if (minRetirement == null || minRetirement.compareTo(SHORTEST_MIN_RETIREMENT) < 0) {
            throw new IllegalArgumentException("The minimum retirement age must be at least "
                    + SHORTEST_MIN_RETIREMENT.toDays() + " days, not " + minRetirement + ".");
        }
        clusters = List.copyOf(clusters);
        Set<String> known = new HashSet<>();
        if (knownKeyIds != null) {
            knownKeyIds.forEach(id -> known.add(KeyIds.keyId(id)));
        }
        knownKeyIds = Set.copyOf(known);
    }

    /**
     * The input for a key whose retired-at is read from its {@link KeyTags#RETIRED_AT} tag, with the
     * ledger's keys and the minimum retirement age given.
     */
    public static RetirementInput of(ManagedKey key, String projectId, AwsKms atlasKms,
                                     List<ClusterBackups> clusters, Set<String> knownKeyIds,
                                     Duration minRetirement, Instant now) {
        return new RetirementInput(key, projectId, atlasKms, clusters, retiredAtTag(key), knownKeyIds, minRetirement,
                null, null, now);
    }

    /** As above, knowing no other key of the ledger and with the default minimum retirement age. */
    public static RetirementInput of(ManagedKey key, String projectId, AwsKms atlasKms,
                                     List<ClusterBackups> clusters, Instant now) {
        return of(key, projectId, atlasKms, clusters, Set.of(), DEFAULT_MIN_RETIREMENT, now);
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

    /** The same input with CloudTrail's evidence of the key's use. */
    public RetirementInput withUsage(UsageEvidence evidence) {
        return new RetirementInput(key, projectId, atlasKms, clusters, retiredAt, knownKeyIds, minRetirement, evidence,
                adoption, now);
    }

    /** The same input with what was found about an adopted key's other users. */
    public RetirementInput withAdoption(AdoptionEvidence evidence) {
        return new RetirementInput(key, projectId, atlasKms, clusters, retiredAt, knownKeyIds, minRetirement, usage,
                evidence, now);
    }

    /** This system adopted the key (it was Atlas's key before the project's first rotation). */
    public boolean adopted() {
        return key.tag(KeyTags.ADOPTED_BY) != null;
    }

    /** The candidate's normalised key id. */
    public String candidateKeyId() {
        return KeyIds.keyId(key.keyId() != null ? key.keyId() : key.arn());
    }
}
