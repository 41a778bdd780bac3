package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyIds;

/**
 * Input of Finalize (see {@code events/finalize.json}).
 *
 * @param projectId  Atlas project id
 * @param rotationId the rotation (execution name)
 * @param newKeyId   the key Atlas now uses
 * @param oldKeyId   the key Atlas used before this rotation
 */
public record FinalizeRequest(String projectId, String rotationId, String newKeyId, String oldKeyId) {

    public FinalizeRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        newKeyId = Inputs.keyRef("newKeyId", newKeyId);
        oldKeyId = Inputs.keyRef("oldKeyId", oldKeyId);
        if (KeyIds.sameKey(newKeyId, oldKeyId)) {
            throw new InvalidInputException("oldKeyId", "must be another key than newKeyId.");
        }
    }
}
