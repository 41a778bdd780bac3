package io.atlascmk.sandbox.aws;

import java.time.Instant;
import java.util.List;

/**
 * The automatic rotation of one KMS key's material, as the KMS stand-in keeps it.
 *
 * @param keyArn               the key
 * @param enabled              whether EnableKeyRotation turned automatic rotation on (and no
 *                             DisableKeyRotation since). The setting survives a pending deletion, during
 *                             which GetKeyRotationStatus answers {@code false} and nothing rotates
 * @param rotationPeriodInDays 90-2560 while enabled; null otherwise
 * @param nextRotationDate     when the material rotates next (if the key is then {@code Enabled}); null
 *                             while rotation is disabled
 * @param rotationDates        when the material rotated automatically, oldest first
 */
public record KmsKeyRotationView(
        String keyArn,
        boolean enabled,
        Integer rotationPeriodInDays,
        Instant nextRotationDate,
        List<Instant> rotationDates) {

    public KmsKeyRotationView {
        rotationDates = List.copyOf(rotationDates);
    }
}
