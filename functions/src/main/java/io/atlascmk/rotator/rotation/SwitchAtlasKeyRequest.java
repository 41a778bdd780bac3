package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyIds;

/**
 * Input of SwitchAtlasKey (see {@code events/switch-atlas-key.json}).
 *
 * @param projectId  Atlas project id
 * @param rotationId the rotation (execution name)
 * @param newKeyId   the key CreateKey made
 * @param newKeyArn  the same key's ARN
 */
public record SwitchAtlasKeyRequest(String projectId, String rotationId, String newKeyId, String newKeyArn) {

    public SwitchAtlasKeyRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        newKeyId = Inputs.keyRef("newKeyId", newKeyId);
        newKeyArn = Inputs.keyArn("newKeyArn", newKeyArn);
        if (!KeyIds.sameKey(newKeyId, newKeyArn)) {
            throw new InvalidInputException("newKeyArn", "must be the ARN of newKeyId (" + newKeyId + ").");
        }
    }
}
