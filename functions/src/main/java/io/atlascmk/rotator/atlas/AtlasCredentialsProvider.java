package io.atlascmk.rotator.atlas;

/**
 * Supplies the Atlas credentials. {@link AtlasClient} asks on its first request, not when it is built,
 * so a Lambda's init phase (and a SnapStart snapshot) never holds the secret.
 */
@FunctionalInterface
public interface AtlasCredentialsProvider {

    /**
     * @throws AtlasCredentialsException when the credentials cannot be read or have the wrong shape
     */
    AtlasCredentials credentials();

    /**
     * Reads the credentials again from their source, dropping any cache: Atlas refused the ones in use,
     * and the secret may have been rotated since they were read. Fixed credentials return themselves.
     *
     * @throws AtlasCredentialsException when the credentials cannot be read or have the wrong shape
     */
    default AtlasCredentials reread() {
        return credentials();
    }

    /** Fixed credentials (tests, the local runner). */
    static AtlasCredentialsProvider of(AtlasCredentials credentials) {
        java.util.Objects.requireNonNull(credentials, "credentials");
        return () -> credentials;
    }
}
