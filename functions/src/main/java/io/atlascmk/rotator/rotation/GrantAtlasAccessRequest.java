package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyIds;

/**
 * Input of GrantAtlasAccess (see {@code events/grant-atlas-access.json}).
 *
 * @param projectId    Atlas project id
 * @param rotationId   the rotation (execution name)
 * @param currentKeyId the key Atlas uses now; its policy is the model for the new key's
 * @param newKeyId     the key CreateKey made
 * @param atlasRoleArn the IAM role Atlas assumes (Preflight's {@code atlasRoleArn})
 */
public record GrantAtlasAccessRequest(
        String projectId,
        String rotationId,
        String currentKeyId,
        String newKeyId,
        String atlasRoleArn) {

    public GrantAtlasAccessRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        currentKeyId = Inputs.keyRef("currentKeyId", currentKeyId);
        newKeyId = Inputs.keyRef("newKeyId", newKeyId);
        Inputs.iamRoleArn("atlasRoleArn", atlasRoleArn);
        if (KeyIds.sameKey(currentKeyId, newKeyId)) {
            throw new InvalidInputException("newKeyId", "must be another key than currentKeyId.");
        }
    }
}
