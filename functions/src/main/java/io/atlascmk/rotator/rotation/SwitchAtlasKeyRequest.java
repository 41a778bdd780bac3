package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyIds;
import java.time.Instant;

/**
 * Input of SwitchAtlasKey (see {@code events/switch-atlas-key.json}).
 *
 * @param projectId  Atlas project id
 * @param rotationId the rotation (execution name)
 * @param newKeyId   the key CreateKey made
 * @param newKeyArn  the same key's ARN
 * @param policyWrittenAt when GrantAtlasAccess wrote the key's policy (optional; absent: the key's
 *                   creation date, which is earlier, so the wait for Atlas is never longer than it should be)
 */
public record SwitchAtlasKeyRequest(String projectId, String rotationId, String newKeyId, String newKeyArn,
        Instant policyWrittenAt) {

    public SwitchAtlasKeyRequest(String projectId, String rotationId, String newKeyId, String newKeyArn) {
        this(projectId, rotationId, newKeyId, newKeyArn, null);
    }

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
