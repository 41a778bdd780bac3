package io.atlascmk.cli;

/**
 * {@code rotator atlas-setup}: the cloud provider access role that the project's encryption at rest names
 * ({@code awsKms.roleId}) is not among the project's roles, or Atlas has not authorized it (no {@code authorizedDate}):
 * Atlas cannot assume it to use the key. Nothing was changed.
 */
public final class AtlasRoleNotAuthorizedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AtlasRoleNotAuthorizedException(String message) {
        super(message);
    }
}
