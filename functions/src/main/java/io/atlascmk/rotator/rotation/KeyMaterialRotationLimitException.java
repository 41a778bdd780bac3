package io.atlascmk.rotator.rotation;

/**
 * KMS refused another on-demand rotation of the key: it allows a fixed number per key. Nothing was changed; the key's
 * automatic rotation still runs at its period.
 */
public class KeyMaterialRotationLimitException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public KeyMaterialRotationLimitException(String projectId, String keyArn, Throwable cause) {
        super("Project " + projectId + "'s key " + keyArn + " has used every on-demand rotation KMS allows a key; nothing"
                + " was changed, and its automatic rotation still runs at its period. To rotate now, move the project to"
                + " the new-key method for one rotation (start it with \"settings\": {\"method\": \"new-key\"}).", cause);
    }
}
