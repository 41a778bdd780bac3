package io.atlascmk.rotator.trail;

import java.time.Instant;

/** Who used a KMS key since a moment: CloudTrail in AWS ({@link CloudTrailKeyUsage}). */
@FunctionalInterface
public interface KeyUsageLog {

    /**
     * The uses of the key since {@code from} until now (cryptographic operations and grants, served
     * or refused). Never throws for an unreadable trail: the evidence says it is unavailable, and an
     * unavailable trail keeps the key.
     */
    UsageEvidence usesSince(String keyArn, Instant from);
}
