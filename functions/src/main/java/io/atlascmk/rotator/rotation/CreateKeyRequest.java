package io.atlascmk.rotator.rotation;

/**
 * Input of CreateKey (see {@code events/create-key.json}).
 *
 * @param projectId    Atlas project id
 * @param rotationId   the rotation (execution name)
 * @param currentKeyId the key Atlas uses now (id or ARN); the new key is created in its region
 */
public record CreateKeyRequest(String projectId, String rotationId, String currentKeyId) {

    public CreateKeyRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        currentKeyId = Inputs.keyRef("currentKeyId", currentKeyId);
    }
}
