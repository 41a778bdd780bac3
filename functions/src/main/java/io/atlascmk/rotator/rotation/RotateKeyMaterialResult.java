package io.atlascmk.rotator.rotation;

import java.time.Instant;

/**
 * What RotateKeyMaterial did.
 *
 * @param keyId              the key, whose id never changed
 * @param keyArn             its ARN
 * @param rotationPeriodDays KMS's automatic rotation period, as now set
 * @param periodChanged      automatic rotation was off, or on with another period, and was set
 * @param rotatedOnDemand    the material was rotated now (RotateKeyOnDemand)
 * @param lastRotation       when the material last rotated (after this run); null if it never has
 */
public record RotateKeyMaterialResult(String keyId, String keyArn, int rotationPeriodDays, boolean periodChanged,
                                      boolean rotatedOnDemand, Instant lastRotation) {
}
