package io.atlascmk.rotator.rotation;

/** The project does not use Encryption at Rest with customer key management, so there is no key to rotate. */
public class CustomerKeyManagementDisabledException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public CustomerKeyManagementDisabledException(String projectId) {
        super("Project " + projectId + " does not use Encryption at Rest with customer key management (awsKms.enabled is "
                + "not true), so there is no key to rotate and nothing was changed. Enable it in Atlas (Advanced > Encryption "
                + "at Rest) with an AWS KMS key, or remove the project from the rotator's configuration.");
    }
}
