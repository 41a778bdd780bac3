package io.atlascmk.rotator.rotation;

/**
 * Input of RotateKeyMaterial (the {@code key-material} method).
 *
 * @param projectId          Atlas project id
 * @param rotationId         the rotation (execution name)
 * @param keyId              the key Atlas uses, which keeps its id
 * @param rotationPeriodDays KMS's automatic rotation period for the key, 90 to 2560 days
 * @param onDemand           also rotate the material now (RotateKeyOnDemand): a manual or alert-started run; a
 *                           scheduled run only makes sure automatic rotation is on with the period
 * @param startedAt          when the execution started: a rotation since then is this run's (a retry after a
 *                           timeout does not spend another of the key's capped on-demand rotations)
 */
public record RotateKeyMaterialRequest(String projectId, String rotationId, String keyId, Integer rotationPeriodDays,
                                       Boolean onDemand, java.time.Instant startedAt) {

    public RotateKeyMaterialRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        keyId = Inputs.keyRef("keyId", keyId);
        if (rotationPeriodDays == null) {
            throw new InvalidInputException("rotationPeriodDays", "is required (90 to 2560 days).");
        }
        Inputs.inRange("rotationPeriodDays", rotationPeriodDays, Inputs.MIN_ROTATION_PERIOD_DAYS,
                Inputs.MAX_ROTATION_PERIOD_DAYS, "days");
        if (onDemand == null) {
            throw new InvalidInputException("onDemand", "is required: true for a manual or alert-started run.");
        }
        if (startedAt == null) {
            throw new InvalidInputException("startedAt", "is required: when the execution started.");
        }
    }
}
