package io.atlascmk.rotator.rotation;

/**
 * What to do with a {@code pending} key left by a rotation that is no longer running.
 *
 * @param keyId      the pending key
 * @param rotationId the rotation that created it
 * @param action     resume, adopt or abandon
 * @param reason     why, for the report
 */
public record PendingKeyAction(String keyId, String rotationId, Action action, String reason) {

    public enum Action {
        /** This rotation created it (a re-run after a crash): carry on with it. */
        RESUME,
        /** A dead rotation already switched Atlas to it: it is the current key; finish it as active. */
        ADOPT,
        /** A dead rotation left it unused by Atlas: tag it abandoned; the audit retires it safely. */
        ABANDON
    }
}
