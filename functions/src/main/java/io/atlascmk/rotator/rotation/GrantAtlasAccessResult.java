package io.atlascmk.rotator.rotation;

/**
 * Output of GrantAtlasAccess, stored by the workflow at {@code $.grant}.
 *
 * @param policyChanged true when this call wrote the policy; false when the key already had it
 * @param summary       one line describing the new key's policy statements
 */
public record GrantAtlasAccessResult(boolean policyChanged, String summary) {
}
