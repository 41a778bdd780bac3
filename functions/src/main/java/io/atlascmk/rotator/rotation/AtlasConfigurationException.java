package io.atlascmk.rotator.rotation;

/**
 * Atlas's encryption-at-rest configuration lacks something the rotation needs: the
 * {@code awsKms.roleId}, a cloud provider access role with that id (and its IAM role ARN), or the
 * region of the key. Nothing was changed. The message says what is missing; fix the project's
 * configuration in Atlas and run again.
 */
public class AtlasConfigurationException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public AtlasConfigurationException(String message) {
        super(message);
    }
}
