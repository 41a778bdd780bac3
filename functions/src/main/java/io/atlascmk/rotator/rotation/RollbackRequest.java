package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyIds;

/**
 * Input of Rollback (see {@code events/rollback.json}).
 *
 * @param projectId  Atlas project id
 * @param rotationId the rotation (execution name)
 * @param oldKeyId   the key Atlas used before this rotation, to switch back to
 * @param newKeyId   the key this rotation created, to abandon
 * @param reason     why the rotation is rolled back (logged; may be empty)
 * @param attempt    how many times the step has run for this rollback before (0 the first time; optional)
 * @param waitSeconds how long the workflow waited before this run (informational; optional)
 */
public record RollbackRequest(String projectId, String rotationId, String oldKeyId, String newKeyId, String reason,
        Integer attempt, Integer waitSeconds) {

    public RollbackRequest(String projectId, String rotationId, String oldKeyId, String newKeyId, String reason) {
        this(projectId, rotationId, oldKeyId, newKeyId, reason, 0, 0);
    }

    public RollbackRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        oldKeyId = Inputs.keyRef("oldKeyId", oldKeyId);
        newKeyId = Inputs.keyRef("newKeyId", newKeyId);
        if (KeyIds.sameKey(newKeyId, oldKeyId)) {
            throw new InvalidInputException("newKeyId", "must be another key than oldKeyId.");
        }
        if (reason == null) {
            throw new InvalidInputException("reason", "is required (a sentence saying why; may be empty).");
        }
        attempt = attempt == null ? 0 : attempt;
        if (attempt < 0) {
            throw new InvalidInputException("attempt", "must not be negative.");
        }
        waitSeconds = waitSeconds == null ? 0 : waitSeconds;
    }
}
