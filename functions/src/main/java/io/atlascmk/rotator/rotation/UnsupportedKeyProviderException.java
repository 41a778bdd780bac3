package io.atlascmk.rotator.rotation;

/** The project's Encryption at Rest uses a provider other than AWS KMS. */
public class UnsupportedKeyProviderException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    private final String provider;

    public UnsupportedKeyProviderException(String projectId, String provider) {
        super("Project " + projectId + " encrypts at rest with " + provider + ", not AWS KMS; this rotator rotates AWS KMS "
                + "keys only and changed nothing. Rotate that key with the provider's own tools, or remove the project from "
                + "the rotator's configuration.");
        this.provider = provider;
    }

    public String provider() {
        return provider;
    }
}
