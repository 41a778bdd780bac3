package io.atlascmk.cli;

/**
 * {@code rotator atlas-setup}: what Atlas holds makes the setup impossible as asked (encryption at rest with AWS KMS is
 * off, or the configuration to update holds a webhook whose secret Atlas does not show). Nothing was changed.
 */
public final class AtlasSetupNotPossibleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AtlasSetupNotPossibleException(String message) {
        super(message);
    }
}
