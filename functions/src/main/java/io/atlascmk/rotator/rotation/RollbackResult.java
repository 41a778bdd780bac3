package io.atlascmk.rotator.rotation;

/**
 * Output of Rollback, stored by the workflow at {@code $.rollback}.
 *
 * @param atlasKeyId     what Atlas names after the rollback (normally the old key)
 * @param abandonedKeyId the new key, now tagged {@code abandoned} (the audit retires it)
 * @param switchedBack   true when this call sent the PATCH back to the old key
 */
public record RollbackResult(String atlasKeyId, String abandonedKeyId, boolean switchedBack) {
}
