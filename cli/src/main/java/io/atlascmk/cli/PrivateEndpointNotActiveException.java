package io.atlascmk.cli;

/**
 * {@code rotator atlas-setup}: the project's encryption at rest requires private networking, and no encryption-at-rest
 * private endpoint in the key's region is ACTIVE, so Atlas cannot reach KMS. Nothing was changed.
 */
public final class PrivateEndpointNotActiveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PrivateEndpointNotActiveException(String message) {
        super(message);
    }
}
