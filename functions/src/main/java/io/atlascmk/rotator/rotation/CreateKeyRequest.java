package io.atlascmk.rotator.rotation;

import java.util.List;

/**
 * Input of CreateKey (see {@code events/create-key.json}).
 *
 * @param projectId    Atlas project id
 * @param rotationId   the rotation (execution name)
 * @param currentKeyId the key Atlas uses now (id or ARN); the new key is created in its region
 * @param copyTags     optional: the tag keys whose values the new key takes from the current key at creation
 *                     (so that an SCP requiring those tags on CreateKey lets it through); never the rotator's own
 */
public record CreateKeyRequest(String projectId, String rotationId, String currentKeyId, List<String> copyTags) {

    public CreateKeyRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        currentKeyId = Inputs.keyRef("currentKeyId", currentKeyId);
        copyTags = Inputs.copyTags("copyTags", copyTags);
    }

    /** A request that copies no tag. */
    public CreateKeyRequest(String projectId, String rotationId, String currentKeyId) {
        this(projectId, rotationId, currentKeyId, null);
    }
}
